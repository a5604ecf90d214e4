// Registers the tags before Vue mounts, so that Vue sets `strings` (an object) as a property.
import 'rtc-widgets/define.js';
import { createApp } from 'vue';
import App from './App.vue';
import './app.css';

// ?room=…&server=…&name=… pick the call; without them, room "examples" on `npm start`'s server.
const query = new URLSearchParams(location.search);

createApp(App, {
  room: query.get('room') || 'examples',
  server: query.get('server') || 'http://localhost:8080',
  name: query.get('name') || undefined,
}).mount('#app');
