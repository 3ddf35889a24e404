export default {
  component: true,
};
