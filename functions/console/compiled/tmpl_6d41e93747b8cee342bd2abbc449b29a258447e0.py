from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'privacidade.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'privacidade.html')
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
    yield 'Privacidade'

def block_scripts(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<script src="/painel/s/privacy.js" defer></script>'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_seller = resolve('seller')
    l_0_requests = resolve('requests')
    try:
        t_1 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_2 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    try:
        t_3 = environment.filters['when']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'when' found.")
    pass
    yield '<h1>Privacidade</h1>\n'
    if (undefined(name='seller') if l_0_seller is missing else l_0_seller):
        pass
        yield '<p class="muted">Pedidos de titulares (LGPD) são respondidos pela loja.</p>\n'
    else:
        pass
        yield '<p class="muted">Pedidos de titulares de dados (LGPD, art. 18): exporte tudo o que a loja guarda sobre uma pessoa, ou\n  apague (anonimize) o nome, o e-mail, o telefone e o endereço dela em todos os registros. O CPF/CNPJ dos pedidos\n  fica, porque consta da NF-e (art. 16). O ERP é avisado para fazer o mesmo.</p>\n<form class="card" data-form="subject-request">\n  <fieldset>\n    <legend>Pedido</legend>\n    <label class="check"><input type="radio" name="kind" value="export" checked> Exportar os dados</label>\n    <label class="check"><input type="radio" name="kind" value="erase"> Apagar (anonimizar) os dados</label>\n  </fieldset>\n  <label for="dsr-document">CPF ou CNPJ</label>\n  <input id="dsr-document" name="document" inputmode="numeric" maxlength="18" autocomplete="off">\n  <label for="dsr-email">E-mail</label>\n  <input id="dsr-email" name="email" type="email" maxlength="254" autocomplete="off">\n  <label for="dsr-phone">Telefone</label>\n  <input id="dsr-phone" name="phone" type="tel" maxlength="20" autocomplete="off">\n  <p class="muted">Informe pelo menos um. Apagar não tem volta.</p>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Enviar pedido</button>\n</form>\n<h2>Pedidos anteriores</h2>\n<ul class="list" data-requests>\n'
        l_1_loop = missing
        t_4 = 1
        for l_1_r, l_1_loop in LoopContext((undefined(name='requests') if l_0_requests is missing else l_0_requests), undefined):
            l_1_found = missing
            _loop_vars = {}
            pass
            yield '  <li class="none"><strong>'
            yield escape(('Exportação' if (environment.getattr(l_1_r, 'kind') == 'export') else 'Anonimização'))
            yield '</strong>\n    · '
            yield escape(t_3(environment.getattr(l_1_r, 'created_at')))
            yield ' · '
            yield escape(('concluído' if (environment.getattr(l_1_r, 'status') == 'completed') else 'falhou'))
            yield '<br>\n'
            l_1_found = t_1(context.eval_ctx, t_2(context, context.call(environment.getattr(environment.getattr(l_1_r, 'counts'), 'items'), _loop_vars=_loop_vars), 1))
            _loop_vars['found'] = l_1_found
            yield '    <span class="muted">'
            l_2_loop = missing
            t_5 = 1
            for (l_2_name, l_2_count), l_2_loop in LoopContext((undefined(name='found') if l_1_found is missing else l_1_found), undefined):
                l_2_holder_labels = resolve('holder_labels')
                _loop_vars = {}
                pass
                yield escape(context.call(environment.getattr((undefined(name='holder_labels') if l_2_holder_labels is missing else l_2_holder_labels), 'get'), l_2_name, l_2_name, _loop_vars=_loop_vars))
                yield ': '
                yield escape(l_2_count)
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ', '
                t_5 = 0
            l_2_loop = l_2_name = l_2_count = l_2_holder_labels = missing
            if t_5:
                pass
                yield 'Nada encontrado sobre essa pessoa.'
            yield '</span>\n'
            if environment.getattr(l_1_r, 'error'):
                pass
                yield '<br><span class="muted">'
                yield escape(environment.getattr(l_1_r, 'error'))
                yield '</span>'
            for l_2_line in environment.getattr(l_1_r, 'kept'):
                _loop_vars = {}
                pass
                yield '<br><span class="muted">Mantido: '
                yield escape(l_2_line)
                yield '</span>'
            l_2_line = missing
            if ((environment.getattr(l_1_r, 'kind') == 'export') and (environment.getattr(l_1_r, 'status') == 'completed')):
                pass
                yield '<br><a href="/merchant/v1/data-subject-requests/'
                yield escape(environment.getattr(l_1_r, 'request_id'))
                yield '/export" download>Baixar a exportação (JSON)</a>'
            yield '  </li>\n'
            t_4 = 0
        l_1_loop = l_1_r = l_1_found = missing
        if t_4:
            pass
            yield '  <li class="none">Nenhum pedido ainda.</li>\n'
        yield '</ul>\n'

blocks = {'title': block_title, 'scripts': block_scripts, 'main': block_main}
debug_info = '1=12&2=17&3=27&4=37&6=66&30=74&31=79&32=81&33=85&34=90&35=106&36=111&37=118'