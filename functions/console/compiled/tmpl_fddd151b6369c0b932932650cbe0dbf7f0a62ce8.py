from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_base = resolve('base')
    pass
    yield '<!doctype html>\n<html lang="pt-BR">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="csrf-token" content="'
    yield escape((environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'csrf') if (undefined(name='base') if l_0_base is missing else l_0_base) else ''))
    yield '">\n<title>'
    yield from context.blocks['title'][0](context)
    yield ' · '
    yield escape((environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'shop'), 'name') if ((undefined(name='base') if l_0_base is missing else l_0_base) and environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'shop'), 'name')) else 'Vitrine'))
    yield '</title>\n<link rel="icon" href="data:,">\n<link rel="stylesheet" href="/painel/s/console.css">\n<script src="/painel/s/console.js" defer></script>\n'
    yield from context.blocks['scripts'][0](context)
    yield '</head>\n<body>\n'
    if (undefined(name='base') if l_0_base is missing else l_0_base):
        pass
        yield '<header class="top">\n  <a class="shop" href="/painel">'
        yield escape((environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'shop'), 'name') or 'Painel'))
        yield '</a>\n  <span class="who">'
        yield escape(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'me'), 'name'))
        yield '</span>\n</header>\n<nav class="tabs" aria-label="Seções do painel">\n  <a href="/painel"'
        if (environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path') == '/painel'):
            pass
            yield ' aria-current="page"'
        yield '>Início</a>\n'
        if ('catalogs' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<a href="/painel/vitrines"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/vitrines'):
                pass
                yield ' aria-current="page"'
            yield '>Vitrines</a>'
        if ('customers' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<a href="/painel/clientes"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/clientes'):
                pass
                yield ' aria-current="page"'
            yield '>Clientes</a>'
        if ('orders.view' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<a href="/painel/pedidos"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/pedidos'):
                pass
                yield ' aria-current="page"'
            yield '>Pedidos</a>'
        if ('receivables' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<a href="/painel/recebiveis"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/recebiveis'):
                pass
                yield ' aria-current="page"'
            yield '>Recebíveis</a>'
        if ('integrations' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<a href="/painel/integracao"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/integracao'):
                pass
                yield ' aria-current="page"'
            yield '>Integração</a>'
        if ('settings' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<a href="/painel/mensagens"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/mensagens'):
                pass
                yield ' aria-current="page"'
            yield '>Mensagens</a>'
        if ('customers' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')):
            pass
            yield '<a href="/painel/privacidade"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/privacidade'):
                pass
                yield ' aria-current="page"'
            yield '>Privacidade</a>'
        if (('settings' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can')) or ('staff' in environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'can'))):
            pass
            yield '<a href="/painel/configuracoes"'
            if context.call(environment.getattr(environment.getattr((undefined(name='base') if l_0_base is missing else l_0_base), 'path'), 'startswith'), '/painel/configuracoes'):
                pass
                yield ' aria-current="page"'
            yield '>Configurações</a>'
        yield '  <button type="button" class="link" data-action="sign-out">Sair</button>\n</nav>\n'
    yield '<main>\n'
    yield from context.blocks['main'][0](context)
    yield '</main>\n<p class="toast" role="status" aria-live="polite" hidden></p>\n</body>\n</html>'

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield 'Painel'

def block_scripts(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'title': block_title, 'scripts': block_scripts, 'main': block_main}
debug_info = '6=13&7=15&11=19&14=21&16=24&17=26&20=28&21=32&22=39&23=46&24=53&25=60&26=67&27=74&28=81&33=90&7=93&11=103&33=112'