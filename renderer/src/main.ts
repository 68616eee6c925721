import { mount } from 'svelte';
import { z } from 'zod';
import App from './App.svelte';
import './app.css';

// zod would probe `new Function` to compile parsers: the CSP forbids eval, so never try.
z.config({ jitless: true });

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
mount(App, { target });
