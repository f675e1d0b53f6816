# NixOS module: the CIM fleet as systemd services, one per process.
#   services.cim = { enable = true; package = cim; databaseUrl = "postgres:///cim?host=/run/postgresql"; };
{ config, lib, pkgs, ... }:
let
  cfg = config.services.cim;
  apps = {
    command-service = { port = null; };
    sql-projector = { port = 9471; };
    metrics-projector = { port = 9474; };
    conceptual-space-projector = { port = 9475; };
  };
  nodeOptions = import ./node-options.nix;
  service = name: app: lib.nameValuePair "cim-${name}" {
    description = "CIM ${name}";
    wantedBy = [ "multi-user.target" ];
    after = [ "network-online.target" "nats.service" "postgresql.service" ];
    wants = [ "network-online.target" ];
    environment = {
      NATS_URL = cfg.natsUrl;
      EVENT_STREAM = cfg.eventStream;
      LOG_LEVEL = cfg.logLevel;
      PGLITE_DIR = "/var/lib/cim-${name}";
    } // lib.optionalAttrs (cfg.databaseUrl != null) { DATABASE_URL = cfg.databaseUrl; }
      // lib.optionalAttrs (app.port != null) { METRICS_PORT = toString app.port; };
    serviceConfig = {
      ExecStart = "${cfg.nodejs}/bin/node ${lib.escapeShellArgs (nodeOptions name)} ${cfg.package}/apps/${name}/dist/main.js";
      WorkingDirectory = "${cfg.package}";
      DynamicUser = true;
      StateDirectory = "cim-${name}";
      EnvironmentFile = lib.mkIf (cfg.environmentFile != null) cfg.environmentFile;
      # SIGTERM: finish and commit the batch in hand, ack, drain, exit 0.
      KillSignal = "SIGTERM";
      TimeoutStopSec = 30;
      Restart = "on-failure";
      RestartSec = 2;
      NoNewPrivileges = true;
      ProtectSystem = "strict";
      ProtectHome = true;
      PrivateTmp = true;
    };
  };
  enabled = lib.filterAttrs (name: _: builtins.elem name cfg.apps) apps;
in
{
  options.services.cim = {
    enable = lib.mkEnableOption "the CIM infrastructure projection fleet";
    package = lib.mkOption {
      type = lib.types.package;
      description = "The CIM source tree with node_modules installed (the flake's packages.default).";
    };
    nodejs = lib.mkOption { type = lib.types.package; default = pkgs.nodejs_20; };
    apps = lib.mkOption {
      type = lib.types.listOf (lib.types.enum (builtins.attrNames apps));
      default = builtins.attrNames apps;
      description = "Which processes to run; conceptual-space-projector needs databaseUrl.";
    };
    natsUrl = lib.mkOption { type = lib.types.str; default = "nats://127.0.0.1:4222"; };
    eventStream = lib.mkOption { type = lib.types.str; default = "INFRASTRUCTURE_EVENTS"; };
    databaseUrl = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      description = "PostgreSQL for the SQL and conceptual-space read models; null: the SQL projector embeds PGlite.";
    };
    logLevel = lib.mkOption { type = lib.types.enum [ "fatal" "error" "warn" "info" "debug" "trace" ]; default = "info"; };
    environmentFile = lib.mkOption {
      type = lib.types.nullOr lib.types.path;
      default = null;
      description = "Extra variables (secrets such as a DATABASE_URL with a password).";
    };
    nats.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Run a local NATS server with JetStream for the fleet.";
    };
  };

  config = lib.mkIf cfg.enable {
    services.nats = lib.mkIf cfg.nats.enable { enable = true; jetstream = true; };
    systemd.services = lib.mapAttrs' service enabled;
  };
}
