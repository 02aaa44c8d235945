from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'vitrines.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'vitrines.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'Vitrines'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_catalogs = resolve('catalogs')
    pass
    yield '<h1>Vitrines</h1>\n<p><a class="button primary" href="/painel/vitrines/nova">Nova vitrine</a></p>\n<ul class="list">\n'
    t_1 = 1
    for l_1_catalog in (undefined(name='catalogs') if l_0_catalogs is missing else l_0_catalogs):
        l_1_share = resolve('share')
        _loop_vars = {}
        pass
        yield '  <li><a href="/painel/vitrines/'
        yield escape(environment.getattr(l_1_catalog, 'catalog_id'))
        yield '">\n    <strong>'
        yield escape(environment.getattr(l_1_catalog, 'title'))
        yield '</strong><br>\n    <span class="muted">'
        yield escape(('Publicada' if (environment.getattr(l_1_catalog, 'status') == 'published') else ('Despublicada' if (environment.getattr(l_1_catalog, 'status') == 'unpublished') else 'Rascunho')))
        yield ' · '
        yield escape(context.call((undefined(name='share') if l_1_share is missing else l_1_share), environment.getattr(l_1_catalog, 'slug'), _loop_vars=_loop_vars))
        yield '</span>\n  </a></li>\n'
        t_1 = 0
    l_1_catalog = l_1_share = missing
    if t_1:
        pass
        yield '  <li class="none">Nenhuma vitrine ainda.</li>\n'
    yield '</ul>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27&7=38&8=43&9=45&10=47'