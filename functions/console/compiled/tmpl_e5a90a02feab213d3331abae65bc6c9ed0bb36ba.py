from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'vitrine.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'vitrine.html')
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
    l_0_catalog = resolve('catalog')
    pass
    yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'title'))

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_catalog = resolve('catalog')
    l_0_whatsapp = resolve('whatsapp')
    l_0_link = resolve('link')
    l_0_qr = resolve('qr')
    l_0_cover_src = resolve('cover_src')
    l_0_host = resolve('host')
    l_0_product_links = resolve('product_links')
    pass
    yield '<p><a href="/painel/vitrines">← Vitrines</a></p>\n<h1>'
    yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'title'))
    yield '</h1>\n<p class="status" data-status="'
    yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'status'))
    yield '">'
    yield escape(('Publicada' if (environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'status') == 'published') else ('Despublicada' if (environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'status') == 'unpublished') else 'Rascunho')))
    yield '</p>\n'
    if (environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'status') == 'published'):
        pass
        yield '<div class="card share">\n  <a class="button whatsapp" href="'
        yield escape((undefined(name='whatsapp') if l_0_whatsapp is missing else l_0_whatsapp))
        yield '" data-share="whatsapp" target="_blank" rel="noopener">Enviar no WhatsApp</a>\n  <label for="link">Link da vitrine</label>\n  <input id="link" value="'
        yield escape((undefined(name='link') if l_0_link is missing else l_0_link))
        yield '" readonly>\n  <button type="button" data-action="copy" data-copy="#link">Copiar link</button>\n  <figure class="qr">'
        yield escape((undefined(name='qr') if l_0_qr is missing else l_0_qr))
        yield '<figcaption>QR code do link</figcaption></figure>\n  <p><a href="'
        yield escape((undefined(name='link') if l_0_link is missing else l_0_link))
        yield '" target="_blank" rel="noopener">Abrir a vitrine</a></p>\n</div>\n<div class="actions"><button type="button" class="danger" data-action="unpublish" data-catalog="'
        yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'catalog_id'))
        yield '">Despublicar</button></div>\n'
    else:
        pass
        yield '<div class="actions"><button type="button" class="primary" data-action="publish" data-catalog="'
        yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'catalog_id'))
        yield '">Publicar</button></div>\n'
    yield '<h2>Capa e prévia no WhatsApp</h2>\n<div class="card">\n  <figure class="wa-preview">\n    <img class="wa-image" src="'
    yield escape(((undefined(name='cover_src') if l_0_cover_src is missing else l_0_cover_src) or ''))
    yield '" alt="Capa da vitrine"'
    if (not (undefined(name='cover_src') if l_0_cover_src is missing else l_0_cover_src)):
        pass
        yield ' hidden'
    yield '>\n    <figcaption><strong>'
    yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'title'))
    yield '</strong>'
    if environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'description'):
        pass
        yield '<span>'
        yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'description'))
        yield '</span>'
    yield '<span class="muted">'
    yield escape((undefined(name='host') if l_0_host is missing else l_0_host))
    yield '</span></figcaption>\n  </figure>\n  <form data-form="cover" data-catalog="'
    yield escape(environment.getattr((undefined(name='catalog') if l_0_catalog is missing else l_0_catalog), 'catalog_id'))
    yield '">\n    <label for="cover">Imagem de capa (JPEG ou PNG, até 300 KB, larga: 1200 × 630 é o ideal)</label>\n    <input id="cover" name="cover" type="file" accept="image/jpeg,image/png" required>\n    <p class="error" role="alert" hidden></p>\n    <button type="submit">Enviar capa</button>\n  </form>\n</div>\n'
    if (undefined(name='product_links') if l_0_product_links is missing else l_0_product_links):
        pass
        yield '<h2>Link de cada produto</h2>\n<ul class="list">\n'
        for (l_1_sku, l_1_product_link) in (undefined(name='product_links') if l_0_product_links is missing else l_0_product_links):
            _loop_vars = {}
            pass
            yield '<li class="none"><a href="'
            yield escape(l_1_product_link)
            yield '" target="_blank" rel="noopener">'
            yield escape(l_1_sku)
            yield '</a></li>'
        l_1_sku = l_1_product_link = missing
        yield '</ul>\n'

blocks = {'title': block_title, 'main': block_main}
debug_info = '1=12&2=17&3=28&5=44&6=46&7=50&9=53&11=55&13=57&14=59&16=61&18=66&23=69&24=75&26=85&33=87&36=90'