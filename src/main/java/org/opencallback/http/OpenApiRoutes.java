package org.opencallback.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI 3 document of the whole API ({@code src/main/resources/openapi.yaml}, the source of
 * truth the tests validate against): {@code GET /openapi.yaml} as written, {@code GET /openapi.json}
 * the same read as JSON, and {@code GET /api-docs} a small self-contained page that lists its paths
 * and operations (vanilla JavaScript, nothing fetched from elsewhere).
 */
public final class OpenApiRoutes implements Routes {
  static final String RESOURCE = "openapi.yaml";
  private static final String PAGE_CSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline';"
      + " connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final byte[] yaml;
  private final byte[] json;
  private final byte[] page;

  public OpenApiRoutes(ObjectMapper mapper) {
    this.yaml = read(RESOURCE);
    try {
      JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(yaml);
      this.json = mapper.writeValueAsBytes(document);
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.yaml cannot be read", e);
    }
    this.page = PAGE.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml; charset=utf-8").result(yaml));
    routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(json));
    routes.get("/api-docs", ctx -> {
      ctx.header("Content-Security-Policy", PAGE_CSP);
      ctx.header("X-Content-Type-Options", "nosniff");
      ctx.contentType("text/html; charset=utf-8").result(page);
    });
  }

  private static byte[] read(String name) {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  private static final String PAGE = """
      <!doctype html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>OpenCallback API</title>
      <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 70em; padding: 1em; color: #222; }
        h1 { margin-bottom: 0; } .muted { color: #666; }
        h2 { border-bottom: 1px solid #ccc; margin-top: 1.5em; }
        details { border: 1px solid #ddd; border-radius: 4px; margin: .4em 0; }
        summary { cursor: pointer; padding: .4em .6em; }
        .m { display: inline-block; width: 5em; font-weight: bold; font-family: monospace; text-transform: uppercase; }
        .get { color: #0a6; } .post { color: #06c; } .put { color: #b60; } .delete { color: #c22; }
        code, pre { font-family: ui-monospace, monospace; }
        pre { background: #f6f6f6; padding: .6em; overflow: auto; margin: .4em .6em; }
        .body { padding: 0 .6em .6em; }
        table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
      </style>
      </head>
      <body>
      <h1 id="title">OpenCallback API</h1>
      <p class="muted">The raw document: <a href="openapi.yaml">openapi.yaml</a> · <a href="openapi.json">openapi.json</a></p>
      <div id="description"></div>
      <div id="paths">Loading…</div>
      <script>
      (function () {
        'use strict';
        function el(tag, attrs, children) {
          var node = document.createElement(tag);
          Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
          (children || []).forEach(function (c) {
            node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
          });
          return node;
        }
        function resolve(doc, obj) {
          var seen = 0;
          while (obj && obj.$ref && seen++ < 20) {
            obj = obj.$ref.replace(/^#\\//, '').split('/').reduce(function (o, k) { return o && o[k]; }, doc);
          }
          return obj;
        }
        function pretty(value) { return el('pre', {}, [JSON.stringify(value, null, 2)]); }
        function render(doc) {
          document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
          document.getElementById('description').appendChild(el('pre', {}, [doc.info.description || '']));
          var root = document.getElementById('paths');
          root.textContent = '';
          var byTag = {};
          Object.keys(doc.paths).forEach(function (path) {
            var item = doc.paths[path];
            ['get', 'post', 'put', 'delete'].forEach(function (method) {
              var op = item[method];
              if (!op) { return; }
              var tag = (op.tags && op.tags[0]) || 'other';
              (byTag[tag] = byTag[tag] || []).push({ path: path, method: method, op: op, shared: item.parameters || [] });
            });
          });
          Object.keys(byTag).forEach(function (tag) {
            var info = (doc.tags || []).filter(function (t) { return t.name === tag; })[0];
            root.appendChild(el('h2', {}, [tag + (info && info.description ? ' — ' + info.description : '')]));
            byTag[tag].forEach(function (entry) {
              var op = entry.op;
              var body = el('div', { 'class': 'body' }, []);
              var params = entry.shared.concat(op.parameters || []).map(function (p) { return resolve(doc, p); });
              if (params.length) {
                var rows = params.map(function (p) {
                  return el('tr', {}, [el('td', {}, [el('code', {}, [p.name])]), el('td', {}, [p['in']]),
                    el('td', {}, [p.required ? 'yes' : '']), el('td', {}, [p.description || ''])]);
                });
                body.appendChild(el('table', {}, [el('tr', {}, [el('th', {}, ['parameter']), el('th', {}, ['in']),
                  el('th', {}, ['required']), el('th', {}, ['description'])])].concat(rows)));
              }
              if (op.security) {
                body.appendChild(el('p', {}, ['Security: ' + op.security.map(function (s) {
                  return Object.keys(s).join('+') || 'none'; }).join(' or ')]));
              }
              var request = resolve(doc, op.requestBody);
              if (request && request.content) {
                Object.keys(request.content).forEach(function (type) {
                  body.appendChild(el('p', {}, ['Request body (' + type + '):']));
                  body.appendChild(pretty(resolve(doc, request.content[type].schema)));
                });
              }
              Object.keys(op.responses || {}).forEach(function (status) {
                var response = resolve(doc, op.responses[status]);
                body.appendChild(el('p', {}, [el('b', {}, [status]), ' ' + (response.description || '')]));
                Object.keys(response.content || {}).forEach(function (type) {
                  var schema = resolve(doc, response.content[type].schema);
                  body.appendChild(el('p', { 'class': 'muted' }, [type]));
                  body.appendChild(pretty(schema));
                });
              });
              root.appendChild(el('details', {}, [el('summary', {}, [
                el('span', { 'class': 'm ' + entry.method }, [entry.method]), el('code', {}, [entry.path]),
                ' ' + (op.summary || '')]), body]));
            });
          });
        }
        fetch('openapi.json').then(function (r) { return r.json(); }).then(render, function (e) {
          document.getElementById('paths').textContent = 'Cannot load openapi.json: ' + e;
        });
      })();
      </script>
      </body>
      </html>
      """;
}
