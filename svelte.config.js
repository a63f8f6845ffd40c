// Runes everywhere; CSS is injected by the component so it lands inside each widget's shadow root.
export default {
  compilerOptions: { runes: true, css: 'injected' },
};
