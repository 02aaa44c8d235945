from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'inicio.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'inicio.html')
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
    yield 'Início'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_base = resolve('base')
    l_0_sold = resolve('sold')
    l_0_held = resolve('held')
    l_0_erp_late = resolve('erp_late')
    l_0_erp = resolve('erp')
    l_0_payout = resolve('payout')
    try:
        t_1 = environment.filters['brl']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'brl' found.")
    try:
        t_2 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<h1>Olá, '
    yield escape(environment.getitem(context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'me'), 'name'), 'split'), ' ', _block_vars=_block_vars), 0))
    yield '</h1>\n'
    if (not t_2((undefined(name='sold') if l_0_sold is missing else l_0_sold))):
        pass
        yield '<section class="stats" aria-label="Hoje">\n  <div class="stat"><span class="big">'
        yield escape(environment.getattr((undefined(name='sold') if l_0_sold is missing else l_0_sold), 'count'))
        yield '</span><span>pedidos pagos hoje</span></div>\n  <div class="stat"><span class="big">'
        yield escape(t_1(environment.getattr((undefined(name='sold') if l_0_sold is missing else l_0_sold), 'total')))
        yield '</span><span>vendidos hoje</span></div>\n</section>\n'
    yield '<h2>Esperando por você</h2>\n<ul class="waiting">\n'
    for l_1_order in (undefined(name='held') if l_0_held is missing else l_0_held):
        _loop_vars = {}
        pass
        yield '  <li><a href="/painel/pedidos/'
        yield escape(environment.getattr(l_1_order, 'order_id'))
        yield '">Pedido '
        yield escape((environment.getattr(l_1_order, 'order_code') or environment.getattr(l_1_order, 'order_id')[:8]))
        yield ': pagamento em análise, aprove ou recuse</a></li>\n'
    l_1_order = missing
    for l_1_order in (undefined(name='erp_late') if l_0_erp_late is missing else l_0_erp_late):
        _loop_vars = {}
        pass
        yield '  <li><a href="/painel/pedidos/'
        yield escape(environment.getattr(l_1_order, 'order_id'))
        yield '">Pedido '
        yield escape((environment.getattr(l_1_order, 'order_code') or environment.getattr(l_1_order, 'order_id')[:8]))
        yield ': pago há mais de 15 minutos e o ERP ainda não recebeu</a></li>\n'
    l_1_order = missing
    if ((undefined(name='erp') if l_0_erp is missing else l_0_erp) and (environment.getattr((undefined(name='erp') if l_0_erp is missing else l_0_erp), 'last_status') == 'failed')):
        pass
        yield '  <li>O conector do ERP falhou na última consulta: '
        yield escape(environment.getattr((undefined(name='erp') if l_0_erp is missing else l_0_erp), 'last_error'))
        yield '</li>\n'
    if (((not (undefined(name='held') if l_0_held is missing else l_0_held)) and (not (undefined(name='erp_late') if l_0_erp_late is missing else l_0_erp_late))) and (not ((undefined(name='erp') if l_0_erp is missing else l_0_erp) and (environment.getattr((undefined(name='erp') if l_0_erp is missing else l_0_erp), 'last_status') == 'failed')))):
        pass
        yield '  <li class="none">Nada pendente agora.</li>\n'
    yield '</ul>\n'
    if (undefined(name='payout') if l_0_payout is missing else l_0_payout):
        pass
        yield '<h2>Recebíveis</h2>\n<div class="card">\n  <p>Disponível agora: <strong>'
        yield escape(t_1(environment.getattr((undefined(name='payout') if l_0_payout is missing else l_0_payout), 'available_now')))
        yield '</strong></p>\n'
        if environment.getattr((undefined(name='payout') if l_0_payout is missing else l_0_payout), 'next_payout_on'):
            pass
            yield '<p>Próximo repasse: '
            yield escape(context.call(environment.getattr(environment.getattr((undefined(name='payout') if l_0_payout is missing else l_0_payout), 'next_payout_on'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
            yield ', cerca de '
            yield escape(t_1(environment.getattr((undefined(name='payout') if l_0_payout is missing else l_0_payout), 'next_payout_estimate')))
            yield '</p>'
        yield '</div>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27&4=54&5=56&7=59&8=61&13=64&14=68&16=73&17=77&19=82&20=85&22=87&26=91&29=94&30=96'