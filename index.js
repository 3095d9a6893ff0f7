// n8n loads the package through the "n8n" block of package.json; this entry point only exists
// so that `require('n8n-nodes-picwish')` resolves.
module.exports = {};
