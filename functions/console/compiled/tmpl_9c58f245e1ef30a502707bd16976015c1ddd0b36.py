from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'pedido.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'pedido.html')
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
    l_0_order = resolve('order')
    pass
    yield 'Pedido '
    yield escape((environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_code') or environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id')[:8]))

def block_scripts(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<script src="/painel/s/loyalty.js" defer></script>'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_order = resolve('order')
    l_0_books = resolve('books')
    l_0_erp_took = resolve('erp_took')
    l_0_loyalty = resolve('loyalty')
    l_0_base = resolve('base')
    l_0_refundable = resolve('refundable')
    l_0_messages = resolve('messages')
    l_0_timeline = resolve('timeline')
    try:
        t_1 = environment.filters['brl']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'brl' found.")
    try:
        t_2 = environment.filters['max']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'max' found.")
    try:
        t_3 = environment.filters['method']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'method' found.")
    try:
        t_4 = environment.filters['status']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'status' found.")
    try:
        t_5 = environment.filters['when']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'when' found.")
    pass
    yield '<p><a href="/painel/pedidos">← Pedidos</a></p>\n<h1>Pedido '
    yield escape((environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_code') or environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id')[:8]))
    yield '</h1>\n<p class="status" data-status="'
    yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'status'))
    yield '">'
    yield escape(t_4(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'status')))
    yield '</p>\n<div class="card">\n  <p><strong>'
    yield escape(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'customer'), 'name'))
    yield '</strong><br><span class="muted">'
    yield escape(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'customer'), 'email'))
    yield ' · '
    yield escape(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'customer'), 'phone'))
    yield '</span></p>\n  <ul class="lines">\n'
    for l_1_line in environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'lines'):
        _loop_vars = {}
        pass
        yield '<li>'
        yield escape(environment.getattr(l_1_line, 'quantity'))
        yield ' × '
        yield escape(environment.getattr(l_1_line, 'name'))
        if environment.getattr(l_1_line, 'size'):
            pass
            yield ' ('
            yield escape(environment.getattr(l_1_line, 'size'))
            if environment.getattr(l_1_line, 'colour'):
                pass
                yield ', '
                yield escape(environment.getattr(l_1_line, 'colour'))
            yield ')'
        yield ' <span class="amount">'
        yield escape(t_1(environment.getattr(l_1_line, 'total')))
        yield '</span></li>'
    l_1_line = missing
    yield '  </ul>\n  <p>Total <strong class="amount">'
    yield escape(t_1(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'total')))
    yield '</strong> · '
    yield escape(t_3(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'payment_method')))
    if (environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'installments') > 1):
        pass
        yield ' em '
        yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'installments'))
        yield 'x'
    yield '</p>\n'
    if environment.getattr(environment.getattr((undefined(name='books') if l_0_books is missing else l_0_books), 'money'), 'refunded'):
        pass
        yield '<p>Reembolsado: '
        yield escape(t_1(environment.getattr(environment.getattr((undefined(name='books') if l_0_books is missing else l_0_books), 'money'), 'refunded')))
        yield '</p>'
    yield '  <p>'
    if (undefined(name='erp_took') if l_0_erp_took is missing else l_0_erp_took):
        pass
        yield 'O ERP já recebeu o pedido.'
    elif (environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'status') in ('paid', 'in_preparation')):
        pass
        yield 'O ERP ainda não recebeu o pedido.'
    yield '</p>\n'
    if environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'invoice'):
        pass
        yield '<p>NF-e '
        yield escape(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'invoice'), 'number'))
        yield ' (série '
        yield escape(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'invoice'), 'series'))
        yield ')</p>'
    if environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'shipment'):
        pass
        yield '<p>'
        yield escape(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'shipment'), 'carrier'))
        yield ' · rastreio '
        yield escape(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'shipment'), 'tracking_code'))
        yield '</p>'
    yield '</div>\n'
    if ((environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'status') == 'pending_payment') and environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge')):
        pass
        yield '<div class="card">\n'
        if environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'pix'):
            pass
            yield '  <label for="pix-code">Pix copia e cola'
            if environment.getattr(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'pix'), 'expires_at'):
                pass
                yield ' (vale até '
                yield escape(t_5(environment.getattr(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'pix'), 'expires_at')))
                yield ')'
            yield '</label>\n  <input id="pix-code" value="'
            yield escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'pix'), 'qr_code'))
            yield '" readonly>\n  <button type="button" data-action="copy" data-copy="#pix-code">Copiar o Pix</button>\n'
        elif environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'boleto'):
            pass
            yield '  <label for="boleto-line">Linha digitável do boleto</label>\n  <input id="boleto-line" value="'
            yield escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'boleto'), 'line'))
            yield '" readonly>\n  <button type="button" data-action="copy" data-copy="#boleto-line">Copiar a linha</button>\n'
            if environment.getattr(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'boleto'), 'pdf'):
                pass
                yield '<p><a href="'
                yield escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'charge'), 'boleto'), 'pdf'))
                yield '" target="_blank" rel="noopener">Boleto em PDF</a></p>'
        yield '  <p class="hint">Para enviar de novo a quem vai pagar.</p>\n</div>\n'
    yield '<div class="card loyalty">\n  <h2>Fidelidade</h2>\n'
    if ((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty) and (environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'state') == 'to_score')):
        pass
        yield '<p>Pontos: <strong>a pontuar</strong> (quando o pedido for faturado)</p>\n'
    elif ((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty) and (environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'state') in ('scored', 'reversed'))):
        pass
        yield '<p>Pontos: <strong>'
        yield escape(environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'points'))
        yield '</strong>'
        if environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'reversed'):
            pass
            yield ' ('
            yield escape(environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'accrued'))
            yield ' ganhos, '
            yield escape(environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'reversed'))
            yield ' estornados)'
        yield '</p>\n'
    elif environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf'):
        pass
        yield '<p>Este pedido não pontua.</p>'
    yield '  <p>CPF do profissional: '
    if environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf'):
        pass
        yield '<span class="mono">'
        yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf')[:3])
        yield '.'
        yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf')[3:6])
        yield '.'
        yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf')[6:9])
        yield '-'
        yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf')[9:])
        yield '</span>'
    else:
        pass
        yield 'nenhum'
    yield '</p>\n'
    if ((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty) and environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'cpf_locked')):
        pass
        yield '<p class="hint">Os pontos já foram enviados ao programa: o CPF não muda mais.</p>\n'
    elif ('orders.manage' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
        pass
        yield '  <form data-form="loyalty-cpf" data-order="'
        yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id'))
        yield '">\n    <label for="loyalty-cpf">'
        if environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf'):
            pass
            yield 'Trocar o CPF'
        else:
            pass
            yield 'Informar o CPF'
        yield ' do profissional</label>\n    <input id="loyalty-cpf" name="cpf" inputmode="numeric" required placeholder="000.000.000-00" autocomplete="off">\n    <p class="error" role="alert" hidden></p>\n    <button type="submit">Salvar CPF</button>\n'
        if environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'professional_cpf'):
            pass
            yield '<button type="button" data-action="loyalty-cpf-remove" data-order="'
            yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id'))
            yield '">Remover o CPF</button>'
        yield '  </form>\n'
    yield '</div>\n'
    if ('orders.manage' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
        pass
        yield '<div class="actions">\n'
        if (environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'status') == 'on_hold'):
            pass
            yield '  <button type="button" class="primary" data-action="review" data-decision="approve" data-order="'
            yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id'))
            yield '">Aprovar pagamento</button>\n  <button type="button" data-action="review" data-decision="reject" data-order="'
            yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id'))
            yield '">Recusar</button>\n'
        if (environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'status') in ('pending_payment', 'paid', 'on_hold', 'in_preparation', 'ready_for_pickup')):
            pass
            yield '  <button type="button" class="danger" data-action="cancel" data-order="'
            yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id'))
            yield '">Cancelar pedido</button>\n'
        yield '</div>\n'
        l_0_refundable = ((environment.getattr(environment.getattr((undefined(name='books') if l_0_books is missing else l_0_books), 'money'), 'captured') - environment.getattr(environment.getattr((undefined(name='books') if l_0_books is missing else l_0_books), 'money'), 'charged_back')) - t_2(environment, [environment.getattr(environment.getattr((undefined(name='books') if l_0_books is missing else l_0_books), 'money'), 'refunded'), environment.getattr(environment.getattr((undefined(name='books') if l_0_books is missing else l_0_books), 'money'), 'refund_requested')]))
        _block_vars['refundable'] = l_0_refundable
        if ((undefined(name='refundable') if l_0_refundable is missing else l_0_refundable) > 0):
            pass
            yield '<form class="card" data-form="refund" data-order="'
            yield escape(environment.getattr((undefined(name='order') if l_0_order is missing else l_0_order), 'order_id'))
            yield '" data-refunded-before="'
            yield escape(environment.getattr(environment.getattr((undefined(name='books') if l_0_books is missing else l_0_books), 'money'), 'refund_requested'))
            yield '" data-refundable="'
            yield escape((undefined(name='refundable') if l_0_refundable is missing else l_0_refundable))
            yield '">\n  <label for="refund-amount">Reembolsar (até '
            yield escape(t_1((undefined(name='refundable') if l_0_refundable is missing else l_0_refundable)))
            yield ')</label>\n  <input id="refund-amount" name="amount" inputmode="decimal" required placeholder="0,00" pattern="[0-9]{1,7}([,.][0-9]{1,2})?">\n  <p class="error" role="alert" hidden></p>\n  <button type="submit">Reembolsar</button>\n</form>\n'
    if (undefined(name='messages') if l_0_messages is missing else l_0_messages):
        pass
        yield '<h2>Mensagens ao cliente</h2>\n<ul class="list order-messages">\n'
        for (l_1_at, l_1_m) in (undefined(name='messages') if l_0_messages is missing else l_0_messages):
            l_1_message_labels = resolve('message_labels')
            _loop_vars = {}
            pass
            yield '<li>'
            yield escape(t_5(l_1_at))
            yield ' · '
            yield escape(context.call(environment.getattr(environment.getattr((undefined(name='message_labels') if l_1_message_labels is missing else l_1_message_labels), 'channel'), 'get'), environment.getattr(l_1_m, 'channel'), environment.getattr(l_1_m, 'channel'), _loop_vars=_loop_vars))
            yield ' para '
            yield escape(environment.getattr(l_1_m, 'to'))
            if (environment.getattr(l_1_m, 'audience') == 'merchant'):
                pass
                yield ' (loja)'
            yield ' · '
            yield escape(context.call(environment.getattr(environment.getattr((undefined(name='message_labels') if l_1_message_labels is missing else l_1_message_labels), 'kind'), 'get'), environment.getattr(l_1_m, 'kind'), environment.getattr(l_1_m, 'kind'), _loop_vars=_loop_vars))
            yield ' · <strong>'
            yield escape(context.call(environment.getattr(environment.getattr((undefined(name='message_labels') if l_1_message_labels is missing else l_1_message_labels), 'status'), 'get'), environment.getattr(l_1_m, 'status'), environment.getattr(l_1_m, 'status'), _loop_vars=_loop_vars))
            yield '</strong></li>'
        l_1_at = l_1_m = l_1_message_labels = missing
        yield '</ul>\n'
    yield '<h2>Linha do tempo</h2>\n<ol class="timeline">\n'
    for (l_1_kind, l_1_at, l_1_change) in (undefined(name='timeline') if l_0_timeline is missing else l_0_timeline):
        _loop_vars = {}
        pass
        if (l_1_kind == 'status'):
            pass
            yield '<li>'
            yield escape(t_5(l_1_at))
            yield ' · '
            yield escape(t_4(environment.getattr(l_1_change, 'status')))
            yield '</li>'
        else:
            pass
            yield '<li>'
            yield escape(t_5(l_1_at))
            yield ' · CPF do profissional '
            if environment.getattr(l_1_change, 'cpf'):
                pass
                yield 'informado: '
                yield escape(environment.getattr(l_1_change, 'cpf')[:3])
                yield '.***.***-'
                yield escape(environment.getattr(l_1_change, 'cpf')[9:])
            else:
                pass
                yield 'removido'
            yield '</li>'
    l_1_kind = l_1_at = l_1_change = missing
    yield '</ol>\n'

blocks = {'title': block_title, 'scripts': block_scripts, 'main': block_main}
debug_info = '1=12&2=17&3=29&4=39&6=86&7=88&9=92&11=98&13=119&14=128&15=134&16=141&17=148&19=156&21=159&22=162&23=168&25=170&27=173&29=175&36=182&37=185&38=198&39=202&40=217&41=220&42=223&43=225&47=232&51=239&53=242&54=245&55=247&57=249&58=252&61=255&62=257&63=260&64=266&71=268&74=271&79=292'