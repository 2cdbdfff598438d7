import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { Router } from './router';
import { SessionProvider } from './session';
import { AnnouncerProvider } from './shell/announcer';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Router>
      <AnnouncerProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </AnnouncerProvider>
    </Router>
  </StrictMode>,
);
