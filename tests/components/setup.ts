import '@testing-library/jest-dom';
import { cleanup } from '@testing-library/react';
import { resetTaroMock } from './__mocks__/taro';

process.env.TARO_ENV = 'h5';

afterEach(() => {
  cleanup();
  resetTaroMock();
});
