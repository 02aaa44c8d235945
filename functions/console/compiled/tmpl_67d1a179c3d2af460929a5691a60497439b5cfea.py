from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'entrar.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'entrar.html')
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
    yield 'Entrar'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_back = resolve('back')
    pass
    yield '<h1>Entrar no painel</h1>\n<form class="card" data-form="sign-in" data-back="'
    yield escape((undefined(name='back') if l_0_back is missing else l_0_back))
    yield '">\n  <label for="email">E-mail</label>\n  <input id="email" name="email" type="email" autocomplete="username" required>\n  <label for="password">Senha</label>\n  <input id="password" name="password" type="password" autocomplete="current-password" required>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Entrar</button>\n</form>\n<p class="hint">Recebeu um convite? Abra o link do convite para criar sua senha.</p>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27&5=37'