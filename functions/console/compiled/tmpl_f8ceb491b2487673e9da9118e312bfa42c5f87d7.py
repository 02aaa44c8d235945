from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'convite.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'convite.html')
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
    yield 'Criar senha'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<h1>Criar sua senha</h1>\n<form class="card" data-form="invitation">\n  <label for="password">Nova senha (8 caracteres ou mais)</label>\n  <input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required>\n  <label for="confirm">Repita a senha</label>\n  <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="8" required>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Criar senha e entrar</button>\n</form>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27'