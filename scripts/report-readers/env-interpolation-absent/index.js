'use strict';
// Only the reporter's command-line config loader calls this; provspec's check calls generate().
module.exports = function absent() {
  throw new Error('env-interpolation is not installed: the npm registry answers 404 for it');
};
