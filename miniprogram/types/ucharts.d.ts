/** uCharts 2 (`@qiun/ucharts`) ships no types: the constructor draws the chart from its options. */
declare module '@qiun/ucharts' {
  export default class UCharts {
    constructor(options: Record<string, unknown>);
    updateData(data: Record<string, unknown>): void;
  }
}
