from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'mensagens.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'mensagens.html')
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
    yield 'Mensagens'

def block_scripts(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<script src="/painel/s/messages.js" defer></script>'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_templates = resolve('templates')
    pass
    yield '<h1>Mensagens</h1>\n<p class="hint">O cliente recebe uma mensagem a cada etapa do pedido, pelo canal que escolheu na compra. O texto abaixo vai por SMS e e-mail; no WhatsApp vai o modelo aprovado pela Meta, mostrado ao lado. A prévia usa um pedido de exemplo.</p>\n<ul class="list messages">\n'
    l_1_loop = missing
    for l_1_t, l_1_loop in LoopContext((undefined(name='templates') if l_0_templates is missing else l_0_templates), undefined):
        l_1_previews = resolve('previews')
        _loop_vars = {}
        pass
        yield '  <li>\n    <details class="card message" data-kind="'
        yield escape(environment.getattr(environment.getattr(l_1_t, 'kind'), 'value'))
        yield '">\n      <summary><strong>'
        yield escape(environment.getattr(l_1_t, 'label'))
        yield '</strong>'
        if environment.getattr(l_1_t, 'customised'):
            pass
            yield ' <span class="badge">personalizada</span>'
        if (environment.getattr(l_1_t, 'audience') == 'merchant'):
            pass
            yield ' <span class="muted">· e-mail para a loja</span>'
        yield '</summary>\n      <form data-form="message-text" data-kind="'
        yield escape(environment.getattr(environment.getattr(l_1_t, 'kind'), 'value'))
        yield '">\n        <label for="subject-'
        yield escape(environment.getattr(environment.getattr(l_1_t, 'kind'), 'value'))
        yield '">Assunto do e-mail</label>\n        <input id="subject-'
        yield escape(environment.getattr(environment.getattr(l_1_t, 'kind'), 'value'))
        yield '" name="subject" value="'
        yield escape(environment.getattr(l_1_t, 'subject'))
        yield '" maxlength="150" required>\n        <label for="text-'
        yield escape(environment.getattr(environment.getattr(l_1_t, 'kind'), 'value'))
        yield '">Texto (SMS e e-mail)</label>\n        <textarea id="text-'
        yield escape(environment.getattr(environment.getattr(l_1_t, 'kind'), 'value'))
        yield '" name="text" rows="4" maxlength="600" required>'
        yield escape(environment.getattr(l_1_t, 'text'))
        yield '</textarea>\n        <p class="hint">Variáveis: '
        l_2_loop = missing
        for l_2_v, l_2_loop in LoopContext(environment.getattr(l_1_t, 'variables'), undefined):
            _loop_vars = {}
            pass
            yield '<code>'
            yield escape(markup_join(('{', l_2_v, '}', )))
            yield '</code>'
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                yield ' '
        l_2_loop = l_2_v = missing
        yield '</p>\n        <p class="error" role="alert" hidden></p>\n        <div class="preview" aria-live="polite">\n          <p class="muted">Prévia'
        if (environment.getattr(l_1_t, 'audience') == 'shopper'):
            pass
            yield ' (SMS / e-mail)'
        yield '</p>\n          <p class="bubble" data-preview="text">'
        yield escape(environment.getattr(environment.getitem((undefined(name='previews') if l_1_previews is missing else l_1_previews), environment.getattr(environment.getattr(l_1_t, 'kind'), 'value')), 'text'))
        yield '</p>\n'
        if environment.getattr(environment.getitem((undefined(name='previews') if l_1_previews is missing else l_1_previews), environment.getattr(environment.getattr(l_1_t, 'kind'), 'value')), 'whatsapp_text'):
            pass
            yield '          <p class="muted">No WhatsApp (modelo <code>'
            yield escape(environment.getattr(l_1_t, 'whatsapp_template'))
            yield '</code>)</p>\n          <p class="bubble whatsapp" data-preview="whatsapp">'
            yield escape(environment.getattr(environment.getitem((undefined(name='previews') if l_1_previews is missing else l_1_previews), environment.getattr(environment.getattr(l_1_t, 'kind'), 'value')), 'whatsapp_text'))
            yield '</p>\n'
        yield '        </div>\n        <div class="actions">\n          <button type="submit" class="primary">Salvar</button>\n          <button type="button" data-action="preview-message">Pré-visualizar</button>\n'
        if environment.getattr(l_1_t, 'customised'):
            pass
            yield '<button type="button" data-action="reset-message">Voltar ao padrão</button>'
        yield '        </div>\n      </form>\n    </details>\n  </li>\n'
    l_1_loop = l_1_t = l_1_previews = missing
    yield '</ul>\n'

blocks = {'title': block_title, 'scripts': block_scripts, 'main': block_main}
debug_info = '1=12&2=17&3=27&4=37&8=48&10=53&11=55&12=64&13=66&14=68&15=72&16=74&17=79&20=90&21=94&22=96&23=99&24=101&30=104'