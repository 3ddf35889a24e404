// Browser steps wait for builds, page transitions and the server: allow them time.
jest.setTimeout(120_000);
