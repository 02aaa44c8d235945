from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'configuracoes.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'configuracoes.html')
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
    yield 'Configurações'

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
    l_0_settings = resolve('settings')
    l_0_settings_json = resolve('settings_json')
    l_0_loyalty_json = resolve('loyalty_json')
    l_0_loyalty = resolve('loyalty')
    l_0_stores = resolve('stores')
    l_0_staff = resolve('staff')
    l_0_groups = resolve('groups')
    l_0_grantable = resolve('grantable')
    try:
        t_1 = environment.filters['forceescape']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'forceescape' found.")
    try:
        t_2 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
    try:
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_4 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    try:
        t_5 = environment.filters['tojson']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'tojson' found.")
    try:
        t_6 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<h1>Configurações</h1>\n'
    if (undefined(name='settings') if l_0_settings is missing else l_0_settings):
        pass
        yield '<h2>Pagamento e entrega</h2>\n<form class="card" data-form="settings" data-settings="'
        yield escape((undefined(name='settings_json') if l_0_settings_json is missing else l_0_settings_json))
        yield '">\n  <label for="max_installments">Parcelas no cartão (até)</label>\n  <input id="max_installments" name="max_installments" type="number" min="1" max="12" value="'
        yield escape(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'max_installments'))
        yield '" inputmode="numeric">\n  <label for="min_installment">Parcela mínima (R$)</label>\n  <input id="min_installment" name="min_installment" value="'
        yield escape(t_4(context.eval_ctx, t_2('%.2f', (environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'min_installment') / 100)), '.', ','))
        yield '" inputmode="decimal">\n  <label for="pix_expires_minutes">Pix expira em (minutos)</label>\n  <input id="pix_expires_minutes" name="pix_expires_minutes" type="number" min="5" max="1440" value="'
        yield escape(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'pix_expires_minutes'))
        yield '" inputmode="numeric">\n  <label for="card_reservation_minutes">Reserva do cartão (minutos)</label>\n  <input id="card_reservation_minutes" name="card_reservation_minutes" type="number" min="5" max="1440" value="'
        yield escape(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'card_reservation_minutes'))
        yield '" inputmode="numeric">\n  <label for="boleto_due_days">Vencimento do boleto (dias)</label>\n  <input id="boleto_due_days" name="boleto_due_days" type="number" min="1" max="10" value="'
        yield escape(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'boleto_due_days'))
        yield '" inputmode="numeric">\n  <label for="free_delivery_above">Frete grátis acima de (R$, vazio: nunca)</label>\n  <input id="free_delivery_above" name="free_delivery_above" value="'
        yield escape((t_4(context.eval_ctx, t_2('%.2f', (environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'free_delivery_above') / 100)), '.', ',') if (not t_6(environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'free_delivery_above'))) else ''))
        yield '" inputmode="decimal">\n  <fieldset>\n    <legend>Faixas de CEP para entrega</legend>\n    <table class="ranges">\n      <thead><tr><th scope="col">CEP de</th><th scope="col">CEP até</th><th scope="col">Frete (R$)</th><th scope="col">Dias</th><th scope="col"><span class="visually-hidden">Remover</span></th></tr></thead>\n      <tbody>\n'
        for l_1_range in environment.getattr((undefined(name='settings') if l_0_settings is missing else l_0_settings), 'delivery_ranges'):
            _loop_vars = {}
            pass
            yield '      <tr>\n        <td><input aria-label="CEP de" name="cep_from" value="'
            yield escape(environment.getattr(l_1_range, 'cep_from'))
            yield '" inputmode="numeric" maxlength="8"></td>\n        <td><input aria-label="CEP até" name="cep_to" value="'
            yield escape(environment.getattr(l_1_range, 'cep_to'))
            yield '" inputmode="numeric" maxlength="8"></td>\n        <td><input aria-label="Frete (R$)" name="price" value="'
            yield escape(t_4(context.eval_ctx, t_2('%.2f', (environment.getattr(l_1_range, 'price') / 100)), '.', ','))
            yield '" inputmode="decimal"></td>\n        <td><input aria-label="Dias" name="days" value="'
            yield escape(environment.getattr(l_1_range, 'days'))
            yield '" inputmode="numeric"></td>\n        <td><button type="button" data-action="remove-row" aria-label="Remover faixa">×</button></td>\n      </tr>\n'
        l_1_range = missing
        yield '      </tbody>\n    </table>\n    <button type="button" data-action="add-range">Adicionar faixa</button>\n  </fieldset>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Salvar</button>\n</form>\n<h2>Programa de fidelidade</h2>\n<form class="card" data-form="loyalty-settings" data-loyalty="'
        yield escape((undefined(name='loyalty_json') if l_0_loyalty_json is missing else l_0_loyalty_json))
        yield '">\n  <label><input type="checkbox" name="enabled"'
        if environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'enabled'):
            pass
            yield ' checked'
        yield '> Utiliza pontuação (pontos pelo CPF do profissional, enviados quando o pedido é faturado)</label>\n  <label for="loyalty-mode">Pontuação</label>\n  <select id="loyalty-mode" name="mode">\n    <option value="per_real"'
        if (environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'mode') == 'per_real'):
            pass
            yield ' selected'
        yield '>Pontos por R$ 1,00 gasto</option>\n    <option value="per_unit"'
        if (environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'mode') == 'per_unit'):
            pass
            yield ' selected'
        yield '>Pontos por unidade</option>\n  </select>\n  <label for="loyalty-brands">Marcas participantes (uma por linha)</label>\n  <textarea id="loyalty-brands" name="brands" rows="4">'
        yield escape(t_3(context.eval_ctx, environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'brands'), '\n'))
        yield '</textarea>\n  <table class="loyalty-stores">\n    <thead><tr><th scope="col">Loja</th><th scope="col">Código no parceiro</th><th scope="col">Pontos (padrão)</th><th scope="col">Por marca (Marca=pontos, uma por linha)</th></tr></thead>\n    <tbody>\n'
        for l_1_store in (undefined(name='stores') if l_0_stores is missing else l_0_stores):
            l_1_table = missing
            _loop_vars = {}
            pass
            l_1_table = context.call(environment.getattr(environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'stores'), 'get'), environment.getattr(l_1_store, 'code'), _loop_vars=_loop_vars)
            _loop_vars['table'] = l_1_table
            yield '      <tr data-store="'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '">\n        <th scope="row">'
            yield escape(environment.getattr(l_1_store, 'name'))
            yield ' ('
            yield escape(environment.getattr(l_1_store, 'code'))
            yield ')</th>\n        <td><input name="partner_store_code" aria-label="Código no parceiro da loja '
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '" value="'
            yield escape((environment.getattr((undefined(name='table') if l_1_table is missing else l_1_table), 'partner_store_code') if (undefined(name='table') if l_1_table is missing else l_1_table) else ''))
            yield '"></td>\n        <td><input name="default_rate" inputmode="numeric" aria-label="Pontos padrão da loja '
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '" value="'
            yield escape((environment.getattr((undefined(name='table') if l_1_table is missing else l_1_table), 'default_rate') if ((undefined(name='table') if l_1_table is missing else l_1_table) and (not t_6(environment.getattr((undefined(name='table') if l_1_table is missing else l_1_table), 'default_rate')))) else ''))
            yield '"></td>\n        <td><textarea name="brand_rates" rows="2" aria-label="Pontos por marca da loja '
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '">'
            if (undefined(name='table') if l_1_table is missing else l_1_table):
                pass
                for (l_2_brand, l_2_rate) in context.call(environment.getattr(environment.getattr((undefined(name='table') if l_1_table is missing else l_1_table), 'brand_rates'), 'items'), _loop_vars=_loop_vars):
                    _loop_vars = {}
                    pass
                    yield escape(l_2_brand)
                    yield '='
                    yield escape(l_2_rate)
                    yield '\n'
                l_2_brand = l_2_rate = missing
            yield '</textarea></td>\n      </tr>\n'
        l_1_store = l_1_table = missing
        yield '    </tbody>\n  </table>\n  <p class="hint">Uma loja sem código no parceiro não pontua. Frações de ponto são descartadas em cada item.</p>\n  <label for="loyalty-url">Endereço da API do parceiro</label>\n  <input id="loyalty-url" name="base_url" type="url" value="'
        yield escape((environment.getattr(environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'partner'), 'base_url') if environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'partner') else ''))
        yield '" placeholder="https://">\n  <label for="loyalty-key">Chave da API do parceiro'
        if environment.getattr((undefined(name='loyalty') if l_0_loyalty is missing else l_0_loyalty), 'partner'):
            pass
            yield ' (deixe em branco para manter a atual)'
        yield '</label>\n  <input id="loyalty-key" name="api_key" type="password" autocomplete="off">\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Atualizar fidelidade</button>\n</form>\n<h2>Lojas</h2>\n<p class="hint">O que a vitrine diz de cada loja: o endereço aparece para quem escolhe retirar o pedido e na mensagem de "pronto para retirada".</p>\n'
        for l_1_store in (undefined(name='stores') if l_0_stores is missing else l_0_stores):
            _loop_vars = {}
            pass
            yield '<form class="card" data-form="store" data-store="'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '">\n  <h3><strong>'
            yield escape(environment.getattr(l_1_store, 'name'))
            yield '</strong> ('
            yield escape(environment.getattr(l_1_store, 'code'))
            yield ')'
            if environment.getattr(l_1_store, 'online'):
                pass
                yield ' · loja online'
            yield '</h3>\n'
            if environment.getattr(l_1_store, 'address'):
                pass
                yield '<p><small>'
                yield escape(environment.getattr(l_1_store, 'address'))
                if environment.getattr(l_1_store, 'city'):
                    pass
                    yield ' · '
                    yield escape(environment.getattr(l_1_store, 'city'))
                yield '</small></p>'
            yield '  <label for="store-'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '-name">Nome</label>\n  <input id="store-'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '-name" name="name" value="'
            yield escape(environment.getattr(l_1_store, 'name'))
            yield '" maxlength="80" required>\n  <label for="store-'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '-city">Cidade</label>\n  <input id="store-'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '-city" name="city" value="'
            yield escape((environment.getattr(l_1_store, 'city') or ''))
            yield '" maxlength="80">\n  <label for="store-'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '-address">Endereço para retirada (rua, número e bairro)</label>\n  <input id="store-'
            yield escape(environment.getattr(l_1_store, 'code'))
            yield '-address" name="address" value="'
            yield escape((environment.getattr(l_1_store, 'address') or ''))
            yield '" maxlength="160" placeholder="Rua Direita, 120 - Centro">\n  <fieldset>\n    <legend>Pedidos online</legend>\n    <label class="check"><input type="checkbox" name="fulfilment" value="delivery"'
            if ('delivery' in environment.getattr(l_1_store, 'fulfilment')):
                pass
                yield ' checked'
            yield '> Entrega a partir desta loja</label>\n    <label class="check"><input type="checkbox" name="fulfilment" value="pickup"'
            if ('pickup' in environment.getattr(l_1_store, 'fulfilment')):
                pass
                yield ' checked'
            yield '> Retirada nesta loja</label>\n  </fieldset>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Atualizar loja</button>\n</form>\n'
        l_1_store = missing
    if (not t_6((undefined(name='staff') if l_0_staff is missing else l_0_staff))):
        pass
        yield '<h2>Equipe</h2>\n<ul class="list">\n'
        l_1_loop = missing
        for l_1_member, l_1_loop in LoopContext((undefined(name='staff') if l_0_staff is missing else l_0_staff), undefined):
            l_1_base = resolve('base')
            _loop_vars = {}
            pass
            yield '  <li class="none">\n    <strong>'
            yield escape(environment.getattr(l_1_member, 'name'))
            yield '</strong>'
            if environment.getattr(l_1_member, 'owner'):
                pass
                yield ' (responsável)'
            if (not environment.getattr(l_1_member, 'active')):
                pass
                yield ' · <em>desativado</em>'
            yield '<br>\n    <span class="muted">'
            yield escape(environment.getattr(l_1_member, 'email'))
            if environment.getattr(l_1_member, 'seller_id'):
                pass
                yield ' · vendedor '
                yield escape(environment.getattr(l_1_member, 'seller_id'))
            if environment.getattr(l_1_member, 'group_ids'):
                pass
                yield ' · '
                l_2_loop = missing
                for l_2_group_id, l_2_loop in LoopContext(environment.getattr(l_1_member, 'group_ids'), undefined):
                    l_2_group_names = resolve('group_names')
                    _loop_vars = {}
                    pass
                    yield escape(context.call(environment.getattr((undefined(name='group_names') if l_2_group_names is missing else l_2_group_names), 'get'), l_2_group_id, l_2_group_id, _loop_vars=_loop_vars))
                    if (not environment.getattr(l_2_loop, 'last')):
                        pass
                        yield ', '
                l_2_loop = l_2_group_id = l_2_group_names = missing
            if (not environment.getattr(l_1_member, 'has_password')):
                pass
                yield ' · convite pendente'
            yield '</span>\n'
            if (not environment.getattr(l_1_member, 'owner')):
                pass
                yield '    <br>'
                if environment.getattr(environment.getattr((undefined(name='base') if l_1_base is missing else l_1_base), 'me'), 'owner'):
                    pass
                    yield '<button type="button" data-action="unlock-staff" data-staff="'
                    yield escape(environment.getattr(l_1_member, 'staff_id'))
                    yield '">Desbloquear login</button>'
                yield '<button type="button" data-action="toggle-staff" data-staff="'
                yield escape(environment.getattr(l_1_member, 'staff_id'))
                yield '" data-member="'
                yield escape(t_1(t_5(context.eval_ctx, {'name': environment.getattr(l_1_member, 'name'), 'email': environment.getattr(l_1_member, 'email'), 'group_ids': environment.getattr(l_1_member, 'group_ids'), 'seller_id': environment.getattr(l_1_member, 'seller_id'), 'active': environment.getattr(l_1_member, 'active')})))
                yield '">'
                yield escape(('Desativar' if environment.getattr(l_1_member, 'active') else 'Reativar'))
                yield '</button>\n'
            yield '  </li>\n'
        l_1_loop = l_1_member = l_1_base = missing
        yield '</ul>\n<form class="card" data-form="new-staff">\n  <h3>Convidar pessoa</h3>\n  <label for="staff-name">Nome</label>\n  <input id="staff-name" name="name" required minlength="2" maxlength="120">\n  <label for="staff-email">E-mail (login)</label>\n  <input id="staff-email" name="email" type="email" required>\n  <fieldset>\n    <legend>Grupos</legend>\n'
        t_7 = 1
        for l_1_group in (undefined(name='groups') if l_0_groups is missing else l_0_groups):
            _loop_vars = {}
            pass
            yield '<label class="check"><input type="checkbox" name="group_id" value="'
            yield escape(environment.getattr(l_1_group, 'group_id'))
            yield '"> '
            yield escape(environment.getattr(l_1_group, 'name'))
            yield '</label>'
            t_7 = 0
        l_1_group = missing
        if t_7:
            pass
            yield '<p class="muted">Crie um grupo abaixo primeiro.</p>'
        yield '  </fieldset>\n  <label for="staff-seller">Código de vendedor no ERP (se for vendedor)</label>\n  <input id="staff-seller" name="seller_id" maxlength="40">\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Criar convite</button>\n  <div class="invitation" hidden>\n    <label for="invitation-link">Link do convite (vale 7 dias, uma vez)</label>\n    <input id="invitation-link" readonly>\n    <button type="button" data-action="copy" data-copy="#invitation-link">Copiar link</button>\n  </div>\n</form>\n<h2>Grupos de permissão</h2>\n<ul class="list">\n'
        l_1_loop = missing
        t_8 = 1
        for l_1_group, l_1_loop in LoopContext((undefined(name='groups') if l_0_groups is missing else l_0_groups), undefined):
            _loop_vars = {}
            pass
            yield '<li class="none"><strong>'
            yield escape(environment.getattr(l_1_group, 'name'))
            yield '</strong><br><span class="muted">'
            l_2_loop = missing
            for l_2_permission, l_2_loop in LoopContext(environment.getattr(l_1_group, 'permissions'), undefined):
                l_2_labels = resolve('labels')
                _loop_vars = {}
                pass
                yield escape(context.call(environment.getattr((undefined(name='labels') if l_2_labels is missing else l_2_labels), 'get'), l_2_permission, l_2_permission, _loop_vars=_loop_vars))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield '; '
            l_2_loop = l_2_permission = l_2_labels = missing
            if environment.getattr(l_1_group, 'stores'):
                pass
                yield ' · lojas '
                yield escape(t_3(context.eval_ctx, environment.getattr(l_1_group, 'stores'), ', '))
            yield '</span></li>'
            t_8 = 0
        l_1_loop = l_1_group = missing
        if t_8:
            pass
            yield '<li class="none">Nenhum grupo ainda.</li>'
        yield '</ul>\n<form class="card" data-form="new-group">\n  <h3>Novo grupo</h3>\n  <label for="group-name">Nome</label>\n  <input id="group-name" name="name" required minlength="2" maxlength="60" placeholder="Ex.: Caixa, Gerentes">\n  <fieldset>\n    <legend>Pode</legend>\n'
        for l_1_permission in (undefined(name='grantable') if l_0_grantable is missing else l_0_grantable):
            l_1_labels = resolve('labels')
            _loop_vars = {}
            pass
            yield '<label class="check"><input type="checkbox" name="permission" value="'
            yield escape(l_1_permission)
            yield '"> '
            yield escape(environment.getitem((undefined(name='labels') if l_1_labels is missing else l_1_labels), l_1_permission))
            yield '</label>'
        l_1_permission = l_1_labels = missing
        yield '  </fieldset>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Criar grupo</button>\n</form>\n'

blocks = {'title': block_title, 'scripts': block_scripts, 'main': block_main}
debug_info = '1=12&2=17&3=27&4=37&6=90&8=93&10=95&12=97&14=99&16=101&18=103&20=105&26=107&28=111&29=113&30=115&31=117&43=121&44=123&47=127&48=131&51=135&55=137&56=144&57=146&58=150&59=154&60=158&68=173&69=175&76=179&77=183&78=185&79=193&80=203&81=205&82=209&83=211&84=215&85=217&88=221&89=225&96=230&99=234&101=239&102=248&103=270&104=273&117=289&131=305&139=332'