from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'integracao.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'integracao.html')
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
    yield 'Integração'

def block_scripts(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<script src="/painel/s/integration.js" defer></script>'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_connector = resolve('connector')
    l_0_jobs = resolve('jobs')
    l_0_endpoints = resolve('endpoints')
    l_0_keys = resolve('keys')
    l_0_grantable = resolve('grantable')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['when']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'when' found.")
    pass
    yield '<h1>Integração</h1>\n\n<h2>Importar produtos (CSV)</h2>\n<form class="card" data-form="csv-import">\n  <label for="csv-file">Arquivo CSV (UTF-8, separado por ; ou vírgula, até 4 MB)</label>\n  <input id="csv-file" name="file" type="file" accept=".csv,text/csv" required>\n  <p class="hint">Uma linha por variação; só a coluna <code>sku</code> é obrigatória. As colunas estão no manual da integração.</p>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Importar</button>\n  <div class="import" data-import hidden>\n    <label for="csv-progress">Andamento da importação</label>\n    <progress id="csv-progress" max="1" value="0"></progress>\n    <p data-import-status aria-live="polite"></p>\n    <ul class="bad-lines" data-bad-lines aria-label="Linhas com erro"></ul>\n  </div>\n</form>\n\n<h2>Conector do ERP</h2>\n'
    if (undefined(name='connector') if l_0_connector is missing else l_0_connector):
        pass
        yield '<div class="card connector">\n  <p class="status" data-connector="'
        yield escape((environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'last_status') or 'never'))
        yield '">\n'
        if (not environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'enabled')):
            pass
            yield 'Desativado'
        elif (environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'last_status') == 'failed'):
            pass
            yield 'Falhou na última consulta'
        elif (environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'last_status') == 'ok'):
            pass
            yield 'Funcionando'
        else:
            pass
            yield 'Ainda não consultou'
        yield '  </p>\n  <p>'
        yield escape(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'base_url'))
        yield '<br><span class="muted">a cada '
        yield escape(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'interval_minutes'))
        yield ' min · '
        l_1_loop = missing
        for l_1_resource, l_1_loop in LoopContext(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'resources'), undefined):
            l_1_resources = resolve('resources')
            _loop_vars = {}
            pass
            yield escape(context.call(environment.getattr((undefined(name='resources') if l_1_resources is missing else l_1_resources), 'get'), l_1_resource, l_1_resource, _loop_vars=_loop_vars))
            if (not environment.getattr(l_1_loop, 'last')):
                pass
                yield ', '
        l_1_loop = l_1_resource = l_1_resources = missing
        yield '</span></p>\n  <dl class="facts">\n    <dt>Última consulta</dt><dd>'
        yield escape((t_2(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'last_poll_at')) or '—'))
        yield '</dd>\n    <dt>Último sucesso</dt><dd>'
        yield escape((t_2(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'last_success_at')) or '—'))
        yield '</dd>\n'
        if environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'polling'):
            pass
            yield '<dt>Agora</dt><dd>consultando</dd>'
        elif environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'next_poll_at'):
            pass
            yield '<dt>Próxima</dt><dd>'
            yield escape(t_2(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'next_poll_at')))
            yield '</dd>'
        if environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'consecutive_failures'):
            pass
            yield '<dt>Falhas seguidas</dt><dd>'
            yield escape(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'consecutive_failures'))
            yield '</dd>'
        yield '  </dl>\n'
        if environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'last_error'):
            pass
            yield '<p class="error">'
            yield escape(environment.getattr((undefined(name='connector') if l_0_connector is missing else l_0_connector), 'last_error'))
            yield '</p>'
        yield '</div>\n'
    else:
        pass
        yield '<p class="card none">Nenhum conector configurado: o ERP envia os dados pela API (<code>/erp/v1</code>) ou por CSV.</p>\n'
    yield '\n<h2>Últimos processamentos do ERP</h2>\n<ul class="list jobs">\n'
    l_1_loop = missing
    t_3 = 1
    for (l_1_job, l_1_created), l_1_loop in LoopContext((undefined(name='jobs') if l_0_jobs is missing else l_0_jobs), undefined):
        l_1_job_kinds = resolve('job_kinds')
        l_1_job_source = resolve('job_source')
        l_1_job_status = resolve('job_status')
        _loop_vars = {}
        pass
        yield '  <li class="job" data-job="'
        yield escape(environment.getattr(l_1_job, 'job_id'))
        yield '">\n    <details'
        if (((environment.getattr(l_1_job, 'source') == 'csv') and environment.getattr(environment.getattr(l_1_job, 'counts'), 'rejected')) and (environment.getattr(l_1_loop, 'index') <= 3)):
            pass
            yield ' open'
        yield '>\n      <summary>\n        <strong>'
        yield escape(context.call(environment.getattr((undefined(name='job_kinds') if l_1_job_kinds is missing else l_1_job_kinds), 'get'), environment.getattr(l_1_job, 'kind'), environment.getattr(l_1_job, 'kind'), _loop_vars=_loop_vars))
        yield '</strong> · '
        yield escape(context.call(environment.getattr((undefined(name='job_source') if l_1_job_source is missing else l_1_job_source), 'get'), environment.getattr(l_1_job, 'source'), environment.getattr(l_1_job, 'source'), _loop_vars=_loop_vars))
        yield ' · '
        yield escape(context.call(environment.getattr((undefined(name='job_status') if l_1_job_status is missing else l_1_job_status), 'get'), environment.getattr(l_1_job, 'status'), environment.getattr(l_1_job, 'status'), _loop_vars=_loop_vars))
        yield '<br>\n        <span class="muted">'
        yield escape(t_2(l_1_created))
        yield ' · '
        yield escape(environment.getattr(l_1_job, 'total'))
        yield ' itens: '
        yield escape(environment.getattr(environment.getattr(l_1_job, 'counts'), 'applied'))
        yield ' aplicados, '
        yield escape(environment.getattr(environment.getattr(l_1_job, 'counts'), 'unchanged'))
        yield ' sem mudança, '
        yield escape(environment.getattr(environment.getattr(l_1_job, 'counts'), 'rejected'))
        yield ' com erro'
        if environment.getattr(environment.getattr(l_1_job, 'counts'), 'pending'):
            pass
            yield ', '
            yield escape(environment.getattr(environment.getattr(l_1_job, 'counts'), 'pending'))
            yield ' pendentes'
        yield '</span>\n      </summary>\n'
        if environment.getattr(l_1_job, 'results'):
            pass
            yield '      <ul class="errors">\n'
            for l_2_result in environment.getattr(l_1_job, 'results'):
                _loop_vars = {}
                pass
                for l_3_error in environment.getattr(l_2_result, 'errors'):
                    _loop_vars = {}
                    pass
                    yield '        <li>'
                    if environment.getattr(l_2_result, 'ref'):
                        pass
                        yield '<strong>'
                        yield escape(environment.getattr(l_2_result, 'ref'))
                        yield '</strong>: '
                    yield escape(environment.getattr(l_3_error, 'reason'))
                    yield '</li>\n'
                l_3_error = missing
                if environment.getattr(l_2_result, 'oversold'):
                    pass
                    yield '<li><strong>'
                    yield escape(environment.getattr(l_2_result, 'ref'))
                    yield '</strong>: '
                    yield escape(environment.getattr(l_2_result, 'oversold'))
                    yield ' unidade(s) vendidas além do estoque</li>'
            l_2_result = missing
            yield '      </ul>\n'
            if environment.getattr(l_1_job, 'next_cursor'):
                pass
                yield '<p class="muted">Há mais itens com erro neste processamento.</p>'
        else:
            pass
            yield '      <p class="muted">Nenhum item com erro.</p>\n'
        yield '    </details>\n  </li>\n'
        t_3 = 0
    l_1_loop = l_1_job = l_1_created = l_1_job_kinds = l_1_job_source = l_1_job_status = missing
    if t_3:
        pass
        yield '  <li class="none">Nenhum processamento nos últimos 14 dias.</li>\n'
    yield '</ul>\n\n<h2>Webhooks</h2>\n<ul class="list endpoints">\n'
    t_4 = 1
    for (l_1_endpoint, l_1_failed) in (undefined(name='endpoints') if l_0_endpoints is missing else l_0_endpoints):
        _loop_vars = {}
        pass
        yield '  <li class="endpoint">\n    <p><strong>'
        yield escape(environment.getattr(l_1_endpoint, 'url'))
        yield '</strong><br><span class="muted">'
        yield escape(t_1(context.eval_ctx, environment.getattr(l_1_endpoint, 'event_types'), ', '))
        yield '</span></p>\n'
        if l_1_failed:
            pass
            yield '    <p>Entregas que falharam:</p>\n    <ul class="deliveries">\n'
            for l_2_delivery in l_1_failed:
                _loop_vars = {}
                pass
                yield '      <li>'
                yield escape(environment.getattr(l_2_delivery, 'event_type'))
                yield ' · '
                yield escape(t_2(environment.getattr(l_2_delivery, 'created_at')))
                yield ' · '
                yield escape(environment.getattr(l_2_delivery, 'attempts'))
                yield ' tentativas'
                if environment.getattr(l_2_delivery, 'last_status_code'):
                    pass
                    yield ' (última resposta '
                    yield escape(environment.getattr(l_2_delivery, 'last_status_code'))
                    yield ')'
                yield '        <button type="button" data-action="replay" data-delivery="'
                yield escape(environment.getattr(l_2_delivery, 'delivery_id'))
                yield '">Reenviar</button></li>\n'
            l_2_delivery = missing
            yield '    </ul>\n'
        else:
            pass
            yield '    <p class="muted">Nenhuma entrega com falha.</p>\n'
        yield '  </li>\n'
        t_4 = 0
    l_1_endpoint = l_1_failed = missing
    if t_4:
        pass
        yield '  <li class="none">Nenhum endereço de webhook cadastrado.</li>\n'
    yield '</ul>\n\n<h2>Chaves de API</h2>\n<ul class="list keys">\n'
    l_1_loop = missing
    t_5 = 1
    for l_1_key, l_1_loop in LoopContext((undefined(name='keys') if l_0_keys is missing else l_0_keys), undefined):
        _loop_vars = {}
        pass
        yield '  <li class="key'
        if environment.getattr(l_1_key, 'revoked_at'):
            pass
            yield ' revoked'
        yield '">\n    <p><strong>'
        yield escape(environment.getattr(l_1_key, 'name'))
        yield '</strong> <span class="muted">'
        yield escape(environment.getattr(l_1_key, 'key_id'))
        yield '</span><br>\n    <span class="muted">'
        l_2_loop = missing
        t_6 = 1
        for l_2_p, l_2_loop in LoopContext(environment.getattr(l_1_key, 'permissions'), undefined):
            l_2_permission_labels = resolve('permission_labels')
            _loop_vars = {}
            pass
            yield escape(context.call(environment.getattr((undefined(name='permission_labels') if l_2_permission_labels is missing else l_2_permission_labels), 'get'), l_2_p, l_2_p, _loop_vars=_loop_vars))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                yield ', '
            t_6 = 0
        l_2_loop = l_2_p = l_2_permission_labels = missing
        if t_6:
            pass
            yield 'todas as permissões do escopo antigo'
        yield '</span><br>\n    <span class="muted">Criada '
        yield escape(t_2(environment.getattr(l_1_key, 'created_at')))
        if environment.getattr(l_1_key, 'revoked_at'):
            pass
            yield ' · revogada '
            yield escape(t_2(environment.getattr(l_1_key, 'revoked_at')))
        yield '</span></p>\n'
        if (not environment.getattr(l_1_key, 'revoked_at')):
            pass
            yield '<button type="button" class="danger" data-action="revoke" data-key="'
            yield escape(environment.getattr(l_1_key, 'key_id'))
            yield '" data-name="'
            yield escape(environment.getattr(l_1_key, 'name'))
            yield '">Revogar</button>'
        yield '  </li>\n'
        t_5 = 0
    l_1_loop = l_1_key = missing
    if t_5:
        pass
        yield '  <li class="none">Nenhuma chave.</li>\n'
    yield '</ul>\n<form class="card" data-form="new-key">\n  <label for="key-name">Nome da nova chave</label>\n  <input id="key-name" name="name" minlength="2" maxlength="60" required placeholder="Ex.: ERP da loja">\n  <fieldset>\n    <legend>Permissões</legend>\n'
    for l_1_p in (undefined(name='grantable') if l_0_grantable is missing else l_0_grantable):
        l_1_permission_labels = resolve('permission_labels')
        _loop_vars = {}
        pass
        yield '<label class="check"><input type="checkbox" name="permission" value="'
        yield escape(l_1_p)
        yield '"'
        if (l_1_p == 'erp'):
            pass
            yield ' checked'
        yield '> '
        yield escape(environment.getitem((undefined(name='permission_labels') if l_1_permission_labels is missing else l_1_permission_labels), l_1_p))
        yield '</label>'
    l_1_p = l_1_permission_labels = missing
    yield '  </fieldset>\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Criar chave</button>\n  <div class="issued" data-issued hidden>\n    <label for="issued-key">Chave criada: copie agora, ela não será mostrada de novo</label>\n    <input id="issued-key" readonly>\n    <button type="button" data-action="copy-key">Copiar chave</button>\n  </div>\n</form>\n'

blocks = {'title': block_title, 'scripts': block_scripts, 'main': block_main}
debug_info = '1=12&2=17&3=27&4=37&23=63&25=66&26=68&28=81&30=96&31=98&32=100&33=108&35=114&43=126&44=133&45=135&47=139&48=145&50=161&52=164&53=171&54=179&56=188&69=202&71=206&72=210&75=213&76=217&77=229&91=245&92=249&93=253&94=259&95=273&96=279&107=293'