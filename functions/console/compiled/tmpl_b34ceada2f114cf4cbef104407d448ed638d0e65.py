from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'pedidos.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'pedidos.html')
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
    yield 'Pedidos'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_search = resolve('search')
    l_0_statuses = resolve('statuses')
    l_0_catalogs = resolve('catalogs')
    l_0_stores = resolve('stores')
    l_0_base = resolve('base')
    l_0_problem = resolve('problem')
    l_0_found = resolve('found')
    l_0_csv_link = resolve('csv_link')
    l_0_orders = resolve('orders')
    l_0_pages = resolve('pages')
    l_0_range = resolve('range')
    try:
        t_1 = environment.filters['brl']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'brl' found.")
    try:
        t_2 = environment.filters['method']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'method' found.")
    try:
        t_3 = environment.filters['status']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'status' found.")
    try:
        t_4 = environment.filters['when']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'when' found.")
    pass
    yield '<h1>Pedidos</h1>\n<form class="filters" method="get" action="/painel/pedidos">\n  <label for="q">Buscar</label>\n  <input id="q" name="q" type="search" value="'
    yield escape((environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'q') or ''))
    yield '" placeholder="código do pedido, CPF/CNPJ ou nome">\n  <label for="status">Situação</label>\n  <select id="status" name="status">\n    <option value="">Todas</option>\n'
    for (l_1_value, l_1_label) in context.call(environment.getattr((undefined(name='statuses') if l_0_statuses is missing else l_0_statuses), 'items'), _block_vars=_block_vars):
        _loop_vars = {}
        pass
        yield '<option value="'
        yield escape(l_1_value)
        yield '"'
        if (l_1_value == environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'status')):
            pass
            yield ' selected'
        yield '>'
        yield escape(l_1_label)
        yield '</option>'
    l_1_value = l_1_label = missing
    yield '  </select>\n  <label for="payment_method">Pagamento</label>\n  <select id="payment_method" name="payment_method">\n    <option value="">Todos</option>\n'
    for (l_1_value, l_1_label) in (('pix', 'Pix'), ('card', 'Cartão'), ('boleto', 'Boleto')):
        _loop_vars = {}
        pass
        yield '<option value="'
        yield escape(l_1_value)
        yield '"'
        if (l_1_value == environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'payment_method')):
            pass
            yield ' selected'
        yield '>'
        yield escape(l_1_label)
        yield '</option>'
    l_1_value = l_1_label = missing
    yield '  </select>\n  <label for="catalog_id">Vitrine</label>\n  <select id="catalog_id" name="catalog_id">\n    <option value="">Todas</option>\n'
    for l_1_catalog in (undefined(name='catalogs') if l_0_catalogs is missing else l_0_catalogs):
        _loop_vars = {}
        pass
        yield '<option value="'
        yield escape(environment.getattr(l_1_catalog, 'catalog_id'))
        yield '"'
        if (environment.getattr(l_1_catalog, 'catalog_id') == environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'catalog_id')):
            pass
            yield ' selected'
        yield '>'
        yield escape(environment.getattr(l_1_catalog, 'title'))
        yield '</option>'
    l_1_catalog = missing
    yield '  </select>\n  <label for="store_code">Loja</label>\n  <select id="store_code" name="store_code">\n    <option value="">Todas</option>\n'
    for l_1_store in (undefined(name='stores') if l_0_stores is missing else l_0_stores):
        _loop_vars = {}
        pass
        yield '<option value="'
        yield escape(environment.getattr(l_1_store, 'code'))
        yield '"'
        if (environment.getattr(l_1_store, 'code') == environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'store_code')):
            pass
            yield ' selected'
        yield '>'
        yield escape(environment.getattr(l_1_store, 'name'))
        yield '</option>'
    l_1_store = missing
    yield '  </select>\n'
    if (not environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'me'), 'seller_id')):
        pass
        yield '  <label for="seller_id">Vendedor (código)</label>\n  <input id="seller_id" name="seller_id" value="'
        yield escape((environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'seller_id') or ''))
        yield '">\n'
    yield '  <label for="since">De</label>\n  <input id="since" name="since" type="date" value="'
    yield escape((environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'since') or ''))
    yield '">\n  <label for="until">Até</label>\n  <input id="until" name="until" type="date" value="'
    yield escape((environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'until') or ''))
    yield '">\n  <button type="submit">Filtrar</button>\n</form>\n'
    if (undefined(name='problem') if l_0_problem is missing else l_0_problem):
        pass
        yield '<p class="error" role="alert">'
        yield escape((undefined(name='problem') if l_0_problem is missing else l_0_problem))
        yield '</p>'
    yield '<p class="muted">'
    yield escape(environment.getattr((undefined(name='found') if l_0_found is missing else l_0_found), 'total'))
    yield ' pedido'
    yield escape(('s' if (environment.getattr((undefined(name='found') if l_0_found is missing else l_0_found), 'total') != 1) else cond_expr_undefined("the inline if-expression on line 39 in 'pedidos.html' evaluated to false and no else section was defined.")))
    if environment.getattr((undefined(name='found') if l_0_found is missing else l_0_found), 'truncated'):
        pass
        yield ' (mais do que uma busca lê: diminua o período)'
    yield ' · <a href="'
    yield escape((undefined(name='csv_link') if l_0_csv_link is missing else l_0_csv_link))
    yield '" download>Baixar CSV</a></p>\n<ul class="list">\n'
    t_5 = 1
    for l_1_order in (undefined(name='orders') if l_0_orders is missing else l_0_orders):
        _loop_vars = {}
        pass
        yield '  <li><a href="/painel/pedidos/'
        yield escape(environment.getattr(l_1_order, 'order_id'))
        yield '">\n    <strong>'
        yield escape((environment.getattr(l_1_order, 'order_code') or environment.getattr(l_1_order, 'order_id')[:8]))
        yield '</strong> · '
        yield escape(environment.getattr(environment.getattr(l_1_order, 'customer'), 'name'))
        yield '<br>\n    <span class="muted">'
        yield escape(t_4(environment.getattr(l_1_order, 'created_at')))
        yield ' · '
        yield escape(t_2(environment.getattr(l_1_order, 'payment_method')))
        yield ' · '
        yield escape(t_3(environment.getattr(l_1_order, 'status')))
        yield '</span>\n    <span class="amount">'
        yield escape(t_1(environment.getattr(l_1_order, 'total')))
        yield '</span>\n  </a></li>\n'
        t_5 = 0
    l_1_order = missing
    if t_5:
        pass
        yield '  <li class="none">Nenhum pedido encontrado.</li>\n'
    yield '</ul>\n'
    if ((undefined(name='pages') if l_0_pages is missing else l_0_pages) > 1):
        pass
        yield '<nav class="pages" aria-label="Páginas">'
        for l_1_number in context.call((undefined(name='range') if l_0_range is missing else l_0_range), 1, ((undefined(name='pages') if l_0_pages is missing else l_0_pages) + 1), _block_vars=_block_vars):
            l_1_page_link = resolve('page_link')
            _loop_vars = {}
            pass
            if (l_1_number == environment.getattr((undefined(name='search') if l_0_search is missing else l_0_search), 'page')):
                pass
                yield '<strong aria-current="page">'
                yield escape(l_1_number)
                yield '</strong>'
            else:
                pass
                yield '<a href="'
                yield escape(context.call((undefined(name='page_link') if l_1_page_link is missing else l_1_page_link), l_1_number, _loop_vars=_loop_vars))
                yield '">'
                yield escape(l_1_number)
                yield '</a>'
            yield ' '
        l_1_number = l_1_page_link = missing
        yield '</nav>'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27&7=71&11=73&16=87&21=101&26=115&28=129&30=132&33=135&35=137&38=139&39=145&41=155&42=159&43=161&44=165&45=171&51=179'