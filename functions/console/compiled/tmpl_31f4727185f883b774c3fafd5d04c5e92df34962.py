from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'vitrine_nova.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'vitrine_nova.html')
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
    yield 'Nova vitrine'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_search = resolve('search')
    l_0_classifiers = resolve('classifiers')
    l_0_matched = resolve('matched')
    l_0_products = resolve('products')
    l_0_customers = resolve('customers')
    l_0_tables = resolve('tables')
    l_0_stores = resolve('stores')
    try:
        t_1 = environment.filters['img']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'img' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    yield '<p><a href="/painel/vitrines">← Vitrines</a></p>\n<h1>Nova vitrine</h1>\n<form class="filters" method="get" action="/painel/vitrines/nova">\n  <label for="q">Buscar produto</label>\n  <input id="q" name="q" type="search" value="'
    yield escape((undefined(name='search') if l_0_search is missing else l_0_search))
    yield '" placeholder="nome, código ou marca">\n  <label for="classificador">Categoria</label>\n  <select id="classificador" name="classificador">\n    <option value="">Todas</option>\n'
    for l_1_name in (undefined(name='classifiers') if l_0_classifiers is missing else l_0_classifiers):
        l_1_classifier = resolve('classifier')
        _loop_vars = {}
        pass
        yield '<option value="'
        yield escape(l_1_name)
        yield '"'
        if (l_1_name == (undefined(name='classifier') if l_1_classifier is missing else l_1_classifier)):
            pass
            yield ' selected'
        yield '>'
        yield escape(l_1_name)
        yield '</option>'
    l_1_name = l_1_classifier = missing
    yield '  </select>\n  <button type="submit">Buscar</button>\n</form>\n<form class="card" data-form="new-catalog">\n  <fieldset>\n    <legend>Produtos ('
    yield escape((undefined(name='matched') if l_0_matched is missing else l_0_matched))
    yield ' encontrados'
    if ((undefined(name='matched') if l_0_matched is missing else l_0_matched) > t_2((undefined(name='products') if l_0_products is missing else l_0_products))):
        pass
        yield ', mostrando '
        yield escape(t_2((undefined(name='products') if l_0_products is missing else l_0_products)))
    yield ')</legend>\n    <label class="check"><input type="checkbox" name="all_active" value="1"> Todos os produtos ativos da loja</label>\n    <ul class="picker">\n'
    t_3 = 1
    for l_1_product in (undefined(name='products') if l_0_products is missing else l_0_products):
        _loop_vars = {}
        pass
        yield '      <li><label class="check">\n        <input type="checkbox" name="sku" value="'
        yield escape(environment.getattr(l_1_product, 'sku'))
        yield '">\n'
        if environment.getattr(l_1_product, 'images'):
            pass
            yield '<img src="'
            yield escape(t_1(environment.getitem(environment.getattr(l_1_product, 'images'), 0)))
            yield '" alt="" width="48" height="48" loading="lazy">'
        yield '        <span>'
        yield escape((environment.getattr(l_1_product, 'short_name') or environment.getattr(l_1_product, 'name')))
        yield '<br><span class="muted">'
        yield escape(environment.getattr(l_1_product, 'sku'))
        if environment.getattr(l_1_product, 'brand'):
            pass
            yield ' · '
            yield escape(environment.getattr(l_1_product, 'brand'))
        yield '</span></span>\n      </label></li>\n'
        t_3 = 0
    l_1_product = missing
    if t_3:
        pass
        yield '      <li class="none">Nenhum produto encontrado.</li>\n'
    yield '    </ul>\n  </fieldset>\n'
    if (undefined(name='customers') if l_0_customers is missing else l_0_customers):
        pass
        yield '  <label for="customer_id">Para o cliente</label>\n  <select id="customer_id" name="customer_id">\n    <option value="">Qualquer pessoa (link para compartilhar)</option>\n'
        for l_1_customer in (undefined(name='customers') if l_0_customers is missing else l_0_customers):
            l_1_chosen_customer = resolve('chosen_customer')
            _loop_vars = {}
            pass
            yield '<option value="'
            yield escape(environment.getattr(l_1_customer, 'customer_id'))
            yield '"'
            if (environment.getattr(l_1_customer, 'customer_id') == (undefined(name='chosen_customer') if l_1_chosen_customer is missing else l_1_chosen_customer)):
                pass
                yield ' selected'
            yield '>'
            yield escape(environment.getattr(l_1_customer, 'name'))
            yield '</option>'
        l_1_customer = l_1_chosen_customer = missing
        yield '  </select>\n  <p class="hint">Com um cliente, a vitrine mostra os preços dele e o link não pode ser adivinhado.</p>\n'
    yield '  <label for="title">Título</label>\n  <input id="title" name="title" required maxlength="120" placeholder="Ex.: Ofertas da semana">\n  <label for="description">Descrição</label>\n  <textarea id="description" name="description" maxlength="500" rows="3"></textarea>\n  <label for="price_table_id">Tabela de preços</label>\n  <select id="price_table_id" name="price_table_id">\n'
    for l_1_table in (undefined(name='tables') if l_0_tables is missing else l_0_tables):
        _loop_vars = {}
        pass
        yield '<option value="'
        yield escape(environment.getattr(l_1_table, 'table_id'))
        yield '"'
        if environment.getattr(l_1_table, 'default'):
            pass
            yield ' selected'
        yield '>'
        yield escape(environment.getattr(l_1_table, 'name'))
        yield '</option>'
    l_1_table = missing
    yield '  </select>\n  <fieldset>\n    <legend>Lojas que atendem</legend>\n'
    for l_1_store in (undefined(name='stores') if l_0_stores is missing else l_0_stores):
        _loop_vars = {}
        pass
        yield '<label class="check"><input type="checkbox" name="store_code" value="'
        yield escape(environment.getattr(l_1_store, 'code'))
        yield '" checked> '
        yield escape(environment.getattr(l_1_store, 'name'))
        yield ' ('
        yield escape(environment.getattr(l_1_store, 'code'))
        yield ')</label>'
    l_1_store = missing
    yield '  </fieldset>\n  <label for="min_stock">Estoque mínimo para mostrar</label>\n  <input id="min_stock" name="min_stock" type="number" min="0" value="1" inputmode="numeric">\n  <p class="error" role="alert" hidden></p>\n  <button type="submit" class="primary">Criar e publicar</button>\n</form>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27&8=55&12=57&18=72&21=80&23=84&24=86&25=92&32=106&36=109&46=125&50=139'