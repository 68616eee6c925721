/** The one Studio connection of this window (Electron bridge or browser HTTP/WebSocket). */
import { createStudio } from './client';

export const studio = createStudio();
export const api = studio.api;
