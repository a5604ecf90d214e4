// Framework typings (React JSX, Vue, Svelte) generated from custom-elements.json into
// dist/types/frameworks/. Filled in by the typings work; until then it writes nothing.
