// Renders /api/v1/openapi.json as a reference page. Bundled with the app (no CDN),
// builds DOM nodes only (no innerHTML), so the strict CSP needs no exception.
(function () {
  "use strict";
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  // A paragraph whose `backticked` parts become <code>, still without innerHTML.
  function prose(tag, text) {
    var node = el(tag, "");
    text.split("`").forEach(function (part, index) {
      node.appendChild(index % 2 ? el("code", "", part) : document.createTextNode(part));
    });
    return node;
  }
  function resolve(spec, schema) {
    if (schema && schema.$ref) {
      return spec.components.schemas[schema.$ref.split("/").pop()] || {};
    }
    return schema || {};
  }
  function typeOf(spec, schema) {
    if (!schema) { return ""; }
    if (schema.$ref) { return schema.$ref.split("/").pop(); }
    if (schema.anyOf) { return schema.anyOf.map(function (s) { return typeOf(spec, s); }).join(" | "); }
    if (schema.enum) { return schema.enum.join(" | "); }
    if (schema.type === "array") { return typeOf(spec, schema.items) + "[]"; }
    return schema.type || "object";
  }
  function fieldsTable(spec, schema) {
    var resolved = resolve(spec, schema);
    var props = resolved.properties || {};
    var table = el("table", "api-fields");
    Object.keys(props).forEach(function (name) {
      var row = el("tr");
      row.appendChild(el("td", "", name + ((resolved.required || []).indexOf(name) >= 0 ? " *" : "")));
      row.appendChild(el("td", "", typeOf(spec, props[name])));
      row.appendChild(prose("td", props[name].description || ""));
      table.appendChild(row);
    });
    return table;
  }
  function render(root, spec) {
    root.appendChild(prose("p", spec.info.description));
    var byTag = {};
    Object.keys(spec.paths).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method];
        var tag = (op.tags || ["other"])[0];
        (byTag[tag] = byTag[tag] || []).push([method, path, op]);
      });
    });
    Object.keys(byTag).sort().forEach(function (tag) {
      var section = el("section", "card");
      section.appendChild(el("h2", "", tag));
      byTag[tag].forEach(function (entry) {
        var op = entry[2];
        var block = el("details", "api-op");
        var summary = el("summary");
        summary.appendChild(el("code", "api-method api-" + entry[0], entry[0].toUpperCase()));
        summary.appendChild(el("code", "api-path", " " + entry[1]));
        summary.appendChild(el("span", "api-summary", " " + op.summary));
        block.appendChild(summary);
        if (op.description) { block.appendChild(prose("p", op.description)); }
        var params = op.parameters || [];
        if (params.length) {
          block.appendChild(el("h3", "", "Parameters"));
          var list = el("ul");
          params.forEach(function (p) {
            list.appendChild(el("li", "", p.name + " (" + p["in"] + ", " + typeOf(spec, p.schema) + ")" + (p.required ? " required" : "")));
          });
          block.appendChild(list);
        }
        if (op.requestBody) {
          block.appendChild(el("h3", "", "Body"));
          block.appendChild(fieldsTable(spec, op.requestBody.content["application/json"].schema));
        }
        block.appendChild(el("h3", "", "Responses"));
        var responses = el("ul");
        Object.keys(op.responses).forEach(function (status) {
          var r = op.responses[status];
          var media = r.content ? Object.keys(r.content)[0] : "";
          var schema = media ? r.content[media].schema : null;
          responses.appendChild(el("li", "", status + " " + r.description + (schema ? " (" + typeOf(spec, schema) + ")" : "")));
        });
        block.appendChild(responses);
        section.appendChild(block);
      });
      root.appendChild(section);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("api-docs");
    fetch(root.getAttribute("data-spec")).then(function (r) { return r.json(); }).then(function (spec) {
      render(root, spec);
    });
  });
}());
