{
  description = "CIM infrastructure projection fleet: JetStream events projected into SQL, metrics and a conceptual space";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      # The source tree with its npm dependencies, as `npm ci` installs them. When package-lock.json
      # changes, refresh npmDepsHash: build once, copy the hash Nix reports ("got: sha256-…").
      packages = forAll (pkgs: {
        default = pkgs.buildNpmPackage {
          pname = "cim";
          version = "0.1.0";
          src = ./.;
          nodejs = pkgs.nodejs_20;
          npmDepsHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
          # `npm run build`: every workspace's dist/, which the services run.
          npmBuildScript = "build";
          installPhase = ''
            mkdir -p $out
            cp -r package.json package-lock.json libs apps deploy node_modules $out/
          '';
        };
      });

      nixosModules.default = import ./nix/module.nix;

      # `nix develop`: Node 20 and the servers the tests talk to.
      devShells = forAll (pkgs: {
        default = pkgs.mkShell {
          packages = [ pkgs.nodejs_20 pkgs.nats-server pkgs.postgresql_15 pkgs.prometheus ];
        };
      });
    };
}
