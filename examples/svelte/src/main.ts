// Registers the tags before Svelte mounts, so that Svelte sets `strings` (an object) as a property.
import 'rtc-widgets/define.js';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

// ?room=…&server=…&name=… pick the call; without them, room "examples" on `npm start`'s server.
const query = new URLSearchParams(location.search);

mount(App, {
  target: document.getElementById('app')!,
  props: {
    room: query.get('room') || 'examples',
    server: query.get('server') || 'http://localhost:8080',
    name: query.get('name') || undefined,
  },
});
