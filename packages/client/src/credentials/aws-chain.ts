/**
 * The AWS SDK's default credential chain, re-exported from an ES module of our own.
 *
 * `@aws-sdk/credential-provider-node` is CommonJS. Imported dynamically, Node finds its named exports,
 * but a bundler that splits code (esbuild, as the kproxy bin is built) turns the dynamic import of a
 * CommonJS module into a chunk with a `default` export only, and `defaultProvider` is then undefined
 * ("defaultProvider is not a function"). A static import here, dynamically imported by `node.ts`, gives
 * every bundler an ES module with a real named export, and still loads the SDK only on first use.
 */
export { defaultProvider } from '@aws-sdk/credential-provider-node';
