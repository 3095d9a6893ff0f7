// Copies the icons next to the compiled code: dist/icons/ is where the node and credential
// descriptions point (file:../../icons/… from dist/nodes/PicWish, file:../icons/… from dist/credentials).
const { src, dest } = require('gulp');

function buildIcons() {
	return src('icons/*.{png,svg}', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
exports.default = buildIcons;
