from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'recebiveis.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'recebiveis.html')
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
    yield 'Recebíveis'

def block_scripts(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<script src="/painel/s/money.js" defer></script>'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_owed = resolve('owed')
    l_0_chart = resolve('chart')
    l_0_first = resolve('first')
    l_0_last = resolve('last')
    l_0_tallest = resolve('tallest')
    l_0_payouts = resolve('payouts')
    l_0_month_ago = resolve('month_ago')
    l_0_today = resolve('today')
    l_0_base = resolve('base')
    l_0_in_a_week = resolve('in_a_week')
    l_0_settings = resolve('settings')
    l_0_cadences = resolve('cadences')
    l_0_weekdays = resolve('weekdays')
    try:
        t_1 = environment.filters['brl']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'brl' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['lower']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'lower' found.")
    try:
        t_4 = environment.filters['max']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'max' found.")
    pass
    yield '<h1>Recebíveis</h1>\n<section class="stats" aria-label="Resumo">\n  <div class="stat"><span class="big" data-figure="available">'
    yield escape(t_1(environment.getattr((undefined(name='owed') if l_0_owed is missing else l_0_owed), 'available_now')))
    yield '</span><span>disponível agora</span></div>\n  <div class="stat">\n'
    if environment.getattr((undefined(name='owed') if l_0_owed is missing else l_0_owed), 'next_payout_on'):
        pass
        yield '    <span class="big">'
        yield escape(t_1(environment.getattr((undefined(name='owed') if l_0_owed is missing else l_0_owed), 'next_payout_estimate')))
        yield '</span><span>próximo repasse, '
        yield escape(context.call(environment.getattr(environment.getattr((undefined(name='owed') if l_0_owed is missing else l_0_owed), 'next_payout_on'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
        yield '</span>\n'
    else:
        pass
        yield '    <span class="big">—</span><span>sem repasse agendado</span>\n'
    yield '  </div>\n</section>\n\n<h2 id="liberacao">A liberar por data</h2>\n'
    if environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars'):
        pass
        yield '<figure class="card chart">\n  <svg viewBox="0 0 '
        yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'width'))
        yield ' '
        yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'height'))
        yield '" role="img" aria-labelledby="chart-title chart-desc" class="bars">\n    <title id="chart-title">Valores a liberar por data</title>\n    <desc id="chart-desc">'
        yield escape(t_2(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars')))
        yield ' '
        yield escape(('data' if (t_2(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars')) == 1) else 'datas'))
        yield ' de '
        yield escape(context.call(environment.getattr(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'first'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
        yield ' a '
        yield escape(context.call(environment.getattr(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'last'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
        yield ', '
        yield escape(t_1(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'total')))
        yield ' no total. Os valores estão na tabela a seguir.</desc>\n    <line x1="0" x2="'
        yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'width'))
        yield '" y1="'
        yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'baseline'))
        yield '" y2="'
        yield escape(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'baseline'))
        yield '" class="axis"/>\n'
        for l_1_bar in environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars'):
            _loop_vars = {}
            pass
            yield '    <rect x="'
            yield escape(environment.getattr(l_1_bar, 'x'))
            yield '" y="'
            yield escape(environment.getattr(l_1_bar, 'y'))
            yield '" width="'
            yield escape(environment.getattr(l_1_bar, 'width'))
            yield '" height="'
            yield escape(environment.getattr(l_1_bar, 'height'))
            yield '" class="bar'
            if (environment.getattr(l_1_bar, 'amount') < 0):
                pass
                yield ' negative'
            yield '" data-day="'
            yield escape(context.call(environment.getattr(environment.getattr(l_1_bar, 'day'), 'isoformat'), _loop_vars=_loop_vars))
            yield '"><title>'
            yield escape(context.call(environment.getattr(environment.getattr(l_1_bar, 'day'), 'strftime'), '%d/%m', _loop_vars=_loop_vars))
            yield ': '
            yield escape(t_1(environment.getattr(l_1_bar, 'amount')))
            yield '</title></rect>\n'
        l_1_bar = missing
        (l_0_first, l_0_last, l_0_tallest) = (environment.getitem(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars'), 0), environment.getitem(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars'), -1), environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'tallest'))
        _block_vars.update({'first': l_0_first, 'last': l_0_last, 'tallest': l_0_tallest})
        yield '    <text x="'
        yield escape(context.call(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'label_x'), (undefined(name='first') if l_0_first is missing else l_0_first), _block_vars=_block_vars))
        yield '" y="'
        yield escape((environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'height') - 6))
        yield '" text-anchor="'
        yield escape(context.call(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'anchor'), (undefined(name='first') if l_0_first is missing else l_0_first), _block_vars=_block_vars))
        yield '" class="tick">'
        yield escape(context.call(environment.getattr(environment.getattr((undefined(name='first') if l_0_first is missing else l_0_first), 'day'), 'strftime'), '%d/%m', _block_vars=_block_vars))
        yield '</text>\n'
        if (t_2(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars')) > 1):
            pass
            yield '<text x="'
            yield escape(context.call(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'label_x'), (undefined(name='last') if l_0_last is missing else l_0_last), _block_vars=_block_vars))
            yield '" y="'
            yield escape((environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'height') - 6))
            yield '" text-anchor="'
            yield escape(context.call(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'anchor'), (undefined(name='last') if l_0_last is missing else l_0_last), _block_vars=_block_vars))
            yield '" class="tick">'
            yield escape(context.call(environment.getattr(environment.getattr((undefined(name='last') if l_0_last is missing else l_0_last), 'day'), 'strftime'), '%d/%m', _block_vars=_block_vars))
            yield '</text>'
        if (environment.getattr((undefined(name='tallest') if l_0_tallest is missing else l_0_tallest), 'amount') > 0):
            pass
            yield '<text x="'
            yield escape(context.call(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'label_x'), (undefined(name='tallest') if l_0_tallest is missing else l_0_tallest), _block_vars=_block_vars))
            yield '" y="'
            yield escape(t_4(environment, [(environment.getattr((undefined(name='tallest') if l_0_tallest is missing else l_0_tallest), 'y') - 3), 10]))
            yield '" text-anchor="'
            yield escape(context.call(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'anchor'), (undefined(name='tallest') if l_0_tallest is missing else l_0_tallest), _block_vars=_block_vars))
            yield '" class="tick">'
            yield escape(t_1(environment.getattr((undefined(name='tallest') if l_0_tallest is missing else l_0_tallest), 'amount')))
            yield '</text>'
        yield '  </svg>\n  <figcaption>\n    <table class="figures">\n      <caption>Valores a liberar por data</caption>\n      <thead><tr><th scope="col">Data</th><th scope="col" class="num">Valor</th></tr></thead>\n      <tbody>\n'
        for l_1_bar in environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'bars'):
            _loop_vars = {}
            pass
            yield '<tr><td>'
            yield escape(context.call(environment.getattr(environment.getattr(l_1_bar, 'day'), 'strftime'), '%d/%m/%Y', _loop_vars=_loop_vars))
            yield '</td><td class="num">'
            yield escape(t_1(environment.getattr(l_1_bar, 'amount')))
            yield '</td></tr>'
        l_1_bar = missing
        yield '      </tbody>\n      <tfoot><tr><th scope="row">Total</th><td class="num">'
        yield escape(t_1(environment.getattr((undefined(name='chart') if l_0_chart is missing else l_0_chart), 'total')))
        yield '</td></tr></tfoot>\n    </table>\n  </figcaption>\n</figure>\n'
    else:
        pass
        yield '<p class="none card">Nada a liberar nos próximos 90 dias.</p>\n'
    yield '\n<h2>Repasses</h2>\n<ul class="list payouts">\n'
    t_5 = 1
    for l_1_payout in (undefined(name='payouts') if l_0_payouts is missing else l_0_payouts):
        l_1_payout_status = resolve('payout_status')
        _loop_vars = {}
        pass
        yield '  <li>\n    <a href="/painel/recebiveis/repasses/'
        yield escape(environment.getattr(l_1_payout, 'payout_id'))
        yield '">\n      <strong>'
        yield escape(context.call(environment.getattr(environment.getattr(l_1_payout, 'scheduled_on'), 'strftime'), '%d/%m/%Y', _loop_vars=_loop_vars))
        yield '</strong> · '
        yield escape(context.call(environment.getattr((undefined(name='payout_status') if l_1_payout_status is missing else l_1_payout_status), 'get'), environment.getattr(l_1_payout, 'status'), environment.getattr(l_1_payout, 'status'), _loop_vars=_loop_vars))
        yield '\n      <span class="amount">'
        yield escape(t_1(environment.getattr(l_1_payout, 'amount')))
        yield '</span>\n    </a>\n    <a class="csv" href="/merchant/v1/payouts/'
        yield escape(environment.getattr(l_1_payout, 'payout_id'))
        yield '/entries.csv" download>Baixar CSV do repasse de '
        yield escape(context.call(environment.getattr(environment.getattr(l_1_payout, 'scheduled_on'), 'strftime'), '%d/%m/%Y', _loop_vars=_loop_vars))
        yield '</a>\n  </li>\n'
        t_5 = 0
    l_1_payout = l_1_payout_status = missing
    if t_5:
        pass
        yield '  <li class="none">Nenhum repasse ainda.</li>\n'
    yield '</ul>\n\n<h2>Extrato em CSV</h2>\n<form class="card filters" method="get" action="/merchant/v1/ledger.csv">\n  <label for="ledger-from">De</label>\n  <input id="ledger-from" name="from" type="date" value="'
    yield escape(context.call(environment.getattr((undefined(name='month_ago') if l_0_month_ago is missing else l_0_month_ago), 'isoformat'), _block_vars=_block_vars))
    yield '" required>\n  <label for="ledger-to">Até</label>\n  <input id="ledger-to" name="to" type="date" value="'
    yield escape(context.call(environment.getattr((undefined(name='today') if l_0_today is missing else l_0_today), 'isoformat'), _block_vars=_block_vars))
    yield '" required>\n  <p class="hint">Abre no Excel como está (até um ano por arquivo).</p>\n  <button type="submit">Baixar extrato</button>\n</form>\n\n'
    if ('payouts.manage' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
        pass
        yield '<h2>Antecipação</h2>\n<form class="card" data-form="simulate">\n  <label for="payment_date">Receber em</label>\n  <input id="payment_date" name="payment_date" type="date" value="'
        yield escape(context.call(environment.getattr((undefined(name='in_a_week') if l_0_in_a_week is missing else l_0_in_a_week), 'isoformat'), _block_vars=_block_vars))
        yield '" min="'
        yield escape(context.call(environment.getattr((undefined(name='today') if l_0_today is missing else l_0_today), 'isoformat'), _block_vars=_block_vars))
        yield '" required>\n  <label for="timeframe">Quais recebíveis</label>\n  <select id="timeframe" name="timeframe">\n    <option value="start">Os mais próximos primeiro (tarifa menor)</option>\n    <option value="end">Os mais distantes primeiro</option>\n  </select>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit">Simular</button>\n  <div class="simulation" data-simulation hidden>\n    <p>Máximo: <strong data-limit="maximum"></strong></p>\n    <p>Mínimo: <strong data-limit="minimum"></strong></p>\n    <label for="amount">Valor a antecipar (R$)</label>\n    <input id="amount" name="amount" inputmode="decimal" placeholder="1.000,00">\n    <button type="button" class="primary" data-action="anticipate">Solicitar antecipação</button>\n  </div>\n</form>\n'
    yield '\n<h2>Dados para repasse</h2>\n'
    if (undefined(name='settings') if l_0_settings is missing else l_0_settings):
        pass
        yield '<div class="card settings">\n  <p class="status" data-recipient="'
        yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'recipient'), 'status'))
        yield '">'
        yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'recipient'), 'status_text'))
        yield '</p>\n  <p>Repasse '
        yield escape(t_3(context.call(environment.getattr((undefined(name='cadences') if l_0_cadences is missing else l_0_cadences), 'get'), environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'cadence'), environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'cadence'), _block_vars=_block_vars)))
        if environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'weekday'):
            pass
            yield ', toda '
            yield escape(environment.getitem((undefined(name='weekdays') if l_0_weekdays is missing else l_0_weekdays), environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'weekday')))
        if environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'day_of_month'):
            pass
            yield ', dia '
            yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'day_of_month'))
        yield '; mínimo de '
        yield escape(t_1(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'minimum_amount')))
        yield '. Próximo: '
        yield escape(context.call(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'next_payout_on'), 'strftime'), '%d/%m/%Y', _block_vars=_block_vars))
        yield '.</p>\n  <p>Banco '
        yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'bank'))
        yield ' · agência '
        yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'branch_number'))
        yield ' · conta '
        yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'account_number'))
        yield '-'
        yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'account_check_digit'))
        yield ' ('
        yield escape(('corrente' if (environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'type') == 'checking') else 'poupança'))
        yield ')<br><span class="muted">'
        yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'holder_name'))
        yield '</span></p>\n'
        if (('payouts.manage' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')) and (environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'recipient'), 'status') == 'registration')):
            pass
            yield '  <button type="button" class="primary" data-action="kyc-link">Verificar identidade</button>\n  <p class="kyc" data-kyc hidden><a href="#" target="_blank" rel="noopener">Abrir a verificação de identidade</a></p>\n'
        yield '</div>\n'
        if ('payouts.manage' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<details class="card edit">\n<summary>Alterar frequência ou conta bancária</summary>\n<form data-form="payout-settings">\n  <fieldset>\n    <legend>Quando repassar</legend>\n    <label for="cadence">Frequência</label>\n    <select id="cadence" name="cadence">\n'
            for (l_1_value, l_1_label) in context.call(environment.getattr((undefined(name='cadences') if l_0_cadences is missing else l_0_cadences), 'items'), _block_vars=_block_vars):
                _loop_vars = {}
                pass
                yield '<option value="'
                yield escape(l_1_value)
                yield '"'
                if (l_1_value == environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'cadence')):
                    pass
                    yield ' selected'
                yield '>'
                yield escape(l_1_label)
                yield '</option>'
            l_1_value = l_1_label = missing
            yield '    </select>\n    <label for="weekday">Dia da semana (semanal)</label>\n    <select id="weekday" name="weekday">\n'
            for (l_1_value, l_1_label) in context.call(environment.getattr((undefined(name='weekdays') if l_0_weekdays is missing else l_0_weekdays), 'items'), _block_vars=_block_vars):
                _loop_vars = {}
                pass
                yield '<option value="'
                yield escape(l_1_value)
                yield '"'
                if (l_1_value == environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'weekday')):
                    pass
                    yield ' selected'
                yield '>'
                yield escape(l_1_label)
                yield '</option>'
            l_1_value = l_1_label = missing
            yield '    </select>\n    <label for="day_of_month">Dia do mês (mensal, 1 a 28)</label>\n    <input id="day_of_month" name="day_of_month" type="number" min="1" max="28" inputmode="numeric" value="'
            yield escape((environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'day_of_month') or 5))
            yield '">\n    <label for="minimum_amount">Valor mínimo (R$)</label>\n    <input id="minimum_amount" name="minimum_amount" inputmode="decimal" value="'
            yield escape(t_1(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'schedule'), 'minimum_amount'))[3:])
            yield '">\n  </fieldset>\n  <fieldset>\n    <legend>Conta bancária</legend>\n    <label for="holder_name">Titular</label>\n    <input id="holder_name" name="holder_name" maxlength="30" value="'
            yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'holder_name'))
            yield '" required>\n    <label for="holder_document">CPF ou CNPJ do titular</label>\n    <input id="holder_document" name="holder_document" inputmode="numeric" value="'
            yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'holder_document'))
            yield '" required>\n    <label for="bank">Banco (código)</label>\n    <input id="bank" name="bank" inputmode="numeric" maxlength="3" value="'
            yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'bank'))
            yield '" required>\n    <label for="branch_number">Agência</label>\n    <input id="branch_number" name="branch_number" inputmode="numeric" maxlength="4" value="'
            yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'branch_number'))
            yield '" required>\n    <label for="branch_check_digit">Dígito da agência (se houver)</label>\n    <input id="branch_check_digit" name="branch_check_digit" maxlength="1" value="'
            yield escape((environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'branch_check_digit') or ''))
            yield '">\n    <label for="account_number">Conta</label>\n    <input id="account_number" name="account_number" inputmode="numeric" maxlength="13" value="'
            yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'account_number'))
            yield '" required>\n    <label for="account_check_digit">Dígito da conta</label>\n    <input id="account_check_digit" name="account_check_digit" maxlength="2" value="'
            yield escape(environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'account_check_digit'))
            yield '" required>\n    <label for="account_type">Tipo</label>\n    <select id="account_type" name="account_type">\n      <option value="checking"'
            if (environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'type') == 'checking'):
                pass
                yield ' selected'
            yield '>Conta corrente</option>\n      <option value="savings"'
            if (environment.getattr(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'bank_account'), 'type') == 'savings'):
                pass
                yield ' selected'
            yield '>Poupança</option>\n    </select>\n  </fieldset>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Salvar dados de repasse</button>\n</form>\n</details>\n'
    else:
        pass
        yield '<p class="card none">A loja ainda não tem cadastro para repasses. O cadastro inicial (dados da empresa e sócios) é feito pela equipe da plataforma ou pela API.</p>\n'

blocks = {'title': block_title, 'scripts': block_scripts, 'main': block_main}
debug_info = '1=12&2=17&3=27&4=37&7=83&9=85&10=88&18=96&20=99&22=103&23=113&24=119&25=123&27=142&28=145&29=153&30=164&37=176&39=186&49=193&51=198&52=200&53=204&55=206&65=216&67=218&72=220&76=223&95=228&97=231&98=235&99=249&100=261&105=265&113=268&117=282&120=296&122=298&127=300&129=302&131=304&133=306&135=308&137=310&139=312&142=314&143=318'