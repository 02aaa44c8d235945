from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'clientes.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'clientes.html')
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
    yield 'Clientes'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_customers = resolve('customers')
    l_0_sellers = resolve('sellers')
    try:
        t_1 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<h1>Clientes</h1>\n'
    if (not t_1((undefined(name='customers') if l_0_customers is missing else l_0_customers))):
        pass
        yield '<ul class="list">\n'
        t_2 = 1
        for l_1_customer in (undefined(name='customers') if l_0_customers is missing else l_0_customers):
            _loop_vars = {}
            pass
            yield '  <li><a href="/painel/vitrines/nova?cliente='
            yield escape(environment.getattr(l_1_customer, 'customer_id'))
            yield '">\n    <strong>'
            yield escape(environment.getattr(l_1_customer, 'name'))
            yield '</strong><br>\n    <span class="muted">'
            yield escape(environment.getattr(l_1_customer, 'document'))
            if environment.getattr(l_1_customer, 'phone'):
                pass
                yield ' · '
                yield escape(environment.getattr(l_1_customer, 'phone'))
            if environment.getattr(l_1_customer, 'price_table_id'):
                pass
                yield ' · tabela '
                yield escape(environment.getattr(l_1_customer, 'price_table_id'))
            yield '</span><br>\n    <span>Montar uma vitrine para este cliente →</span>\n  </a></li>\n'
            t_2 = 0
        l_1_customer = missing
        if t_2:
            pass
            yield '  <li class="none">Nenhum cliente atribuído a você ainda.</li>\n'
        yield '</ul>\n'
    else:
        pass
        yield '<ul class="list">\n'
        l_1_loop = missing
        t_3 = 1
        for l_1_seller, l_1_loop in LoopContext((undefined(name='sellers') if l_0_sellers is missing else l_0_sellers), undefined):
            l_1_served = resolve('served')
            _loop_vars = {}
            pass
            yield '  <li class="none"><strong>'
            yield escape(environment.getattr(l_1_seller, 'name'))
            yield '</strong> ('
            yield escape(environment.getattr(l_1_seller, 'seller_id'))
            yield ')'
            if (not environment.getattr(l_1_seller, 'active')):
                pass
                yield ' · <em>inativo</em>'
            yield '<br>\n    <span class="muted">'
            l_2_loop = missing
            t_4 = 1
            for l_2_customer, l_2_loop in LoopContext(environment.getitem((undefined(name='served') if l_1_served is missing else l_1_served), environment.getattr(l_1_seller, 'seller_id')), undefined):
                _loop_vars = {}
                pass
                yield escape(environment.getattr(l_2_customer, 'name'))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield ', '
                t_4 = 0
            l_2_loop = l_2_customer = missing
            if t_4:
                pass
                yield 'nenhum cliente atribuído'
            yield '</span></li>\n'
            t_3 = 0
        l_1_loop = l_1_seller = l_1_served = missing
        if t_3:
            pass
            yield '  <li class="none">Nenhum vendedor ainda (vêm do ERP).</li>\n'
        yield '</ul>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=27&5=44&7=48&8=52&9=54&10=56&19=77&20=82&21=92'