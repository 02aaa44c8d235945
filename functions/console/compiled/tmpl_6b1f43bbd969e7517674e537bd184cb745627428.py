from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'sem_permissao.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'sem_permissao.html')
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
    yield 'Sem permissão'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_permission = resolve('permission')
    pass
    yield '<h1>Sem permissão</h1>\n<p>Seu acesso não inclui esta parte do painel (permissão <code>'
    yield escape((undefined(name='permission') if l_0_permission is missing else l_0_permission))
    yield '</code>). Peça ao responsável pela loja.</p>\n<p><a href="/painel">Voltar ao início</a></p>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27&5=37'