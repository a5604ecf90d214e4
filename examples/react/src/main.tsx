// Registers the tags before React renders them: React 19 then sets `strings` (an object) as a
// property, because it is one on the defined element. Tiles, controls and chat are defined when
// they first appear (each comes in a chunk of its own).
import 'rtc-widgets/define.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './app.css';

// ?room=…&server=…&name=… pick the call; without them, room "examples" on `npm start`'s server.
const query = new URLSearchParams(location.search);

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App room={query.get('room') || 'examples'} server={query.get('server') || 'http://localhost:8080'} name={query.get('name') || undefined} />
  </StrictMode>,
);
