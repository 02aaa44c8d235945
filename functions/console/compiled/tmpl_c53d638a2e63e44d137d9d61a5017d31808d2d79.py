from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'repasse.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'repasse.html')
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
    l_0_detail = resolve('detail')
    pass
    yield 'Repasse de '
    yield escape(context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'scheduled_on'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_detail = resolve('detail')
    l_0_payout_status = resolve('payout_status')
    try:
        t_1 = environment.filters['brl']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'brl' found.")
    try:
        t_2 = environment.filters['urlencode']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'urlencode' found.")
    pass
    yield '<p><a href="/painel/recebiveis">← Recebíveis</a></p>\n<h1>Repasse de '
    yield escape(context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'scheduled_on'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
    yield '</h1>\n<p class="status" data-status="'
    yield escape(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'status'))
    yield '">'
    yield escape(context.call(environment.getattr((undefined(name='payout_status') if l_0_payout_status is missing else l_0_payout_status), 'get'), environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'status'), environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'status'), _block_vars=_block_vars))
    yield '</p>\n<div class="card">\n  <p>Transferido: <strong>'
    yield escape(t_1(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'amount')))
    yield '</strong></p>\n  <p class="muted">Lançamentos'
    if environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'covers_from'):
        pass
        yield ' de '
        yield escape(context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'covers_from'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
    yield ' até '
    yield escape(context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'through'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
    yield ': '
    yield escape(t_1(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'entries_amount')))
    if environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'carried_in'):
        pass
        yield '; de repasses anteriores: '
        yield escape(t_1(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'carried_in')))
    yield '</p>\n'
    if environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'failure_reason'):
        pass
        yield '<p class="error">'
        yield escape(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'failure_reason'))
        yield '</p>'
    yield '  <p><a class="button" href="/merchant/v1/payouts/'
    yield escape(environment.getattr(environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'payout'), 'payout_id'))
    yield '/entries.csv" download>Baixar CSV</a></p>\n</div>\n<h2>Lançamentos</h2>\n<table class="entries">\n  <thead><tr><th scope="col">Disponível em</th><th scope="col">Pedido</th><th scope="col">Movimento</th><th scope="col" class="num">Valor</th></tr></thead>\n  <tbody>\n'
    t_3 = 1
    for l_1_entry in environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'entries'):
        l_1_movements = resolve('movements')
        _loop_vars = {}
        pass
        yield '    <tr><td>'
        yield escape(context.call(environment.getattr(environment.getattr(l_1_entry, 'available_on'), 'strftime'), '%d/%m/%Y', _loop_vars=_loop_vars))
        yield '</td><td>'
        yield escape(environment.getattr(l_1_entry, 'order_id')[:8])
        yield '</td><td>'
        yield escape(context.call(environment.getattr((undefined(name='movements') if l_1_movements is missing else l_1_movements), 'get'), environment.getattr(l_1_entry, 'movement'), environment.getattr(l_1_entry, 'movement'), _loop_vars=_loop_vars))
        if environment.getattr(l_1_entry, 'installment'):
            pass
            yield ' ('
            yield escape(environment.getattr(l_1_entry, 'installment'))
            yield 'ª parcela)'
        yield '</td><td class="num">'
        yield escape(t_1(environment.getattr(l_1_entry, 'amount')))
        yield '</td></tr>\n'
        t_3 = 0
    l_1_entry = l_1_movements = missing
    if t_3:
        pass
        yield '    <tr><td colspan="4" class="none">Nenhum lançamento (só valores de repasses anteriores).</td></tr>\n'
    yield '  </tbody>\n</table>\n'
    if environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'next_cursor'):
        pass
        yield '<p><a href="?'
        yield escape(t_2({'cursor': environment.getattr((undefined(name='detail') if l_0_detail is missing else l_0_detail), 'next_cursor')}))
        yield '">Mais lançamentos</a></p>'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=29&5=52&6=54&8=58&9=60&10=73&11=79&17=82&18=87&24=106'