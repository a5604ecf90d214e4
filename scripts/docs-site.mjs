// The documentation site (dist/site/, served at /docs/), generated from custom-elements.json and
// the guides in docs/. Filled in by the docs-site work; until then it writes nothing.
