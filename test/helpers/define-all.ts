/**
 * define.ts, and then every element it loads on first use (a root hook, before any test): component
 * tests put any tag in a fixture at once. (test/components/define.test.ts checks the loading on demand.)
 * Also: a lit warning fails the test that caused it (lit-warnings.ts).
 */
import './lit-warnings.js';
import '../../src/define.js';
import { LAZY_TAGS, loadElements } from '../../src/internal/lazy-elements.js';

before(() => loadElements(Object.keys(LAZY_TAGS)));
