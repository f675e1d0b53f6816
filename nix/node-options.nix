# The node options an app declares in its package.json (`"cim": { "nodeOptions": [...] }`), read from
# the source tree at evaluation time: the one declaration every launcher of the app follows.
name:
let manifest = builtins.fromJSON (builtins.readFile (../apps + "/${name}/package.json"));
in manifest.cim.nodeOptions or [ ]
