// The browser bundle's entry (dist/tierwise.browser.js, global `Tierwise`): the client and the
// drop-in upgrade prompt, for a plain <script> tag.
export * from './index.ts';
export * from './prompt.ts';
