// What `import path from '...' with { type: 'file' }` gives: the file's path, inside `dist/harmony` its
// embedded path. Declared only for the files this folder embeds.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const path: string;
  export default path;
}
declare module '*.css' {
  const path: string;
  export default path;
}
declare module '*/start.js' {
  const path: string;
  export default path;
}
