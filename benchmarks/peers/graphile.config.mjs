// PostGraphile 5 as the benchmark peer of RegSafe (benchmarks/peers.py starts it; not
// part of the product). One config, two configurations chosen by the environment:
//
//   PEERS_MODE=plain  connects as the table owner: no row-level security, no settings.
//   PEERS_MODE=rls    every request runs as PEERS_ROLE with app.province set (pgSettings),
//                     so the policies peers.py creates on person, employer and application
//                     (the provincial reviewer's scope) apply to every statement.
//
// PEERS_DATABASE_URL, PEERS_PORT, PEERS_ROLE, PEERS_PROVINCE and PEERS_POOL come from
// the harness. Amber preset, as PostGraphile recommends; the Ruru IDE and explain off.
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const mode = process.env.PEERS_MODE ?? "plain";
const role = process.env.PEERS_ROLE;
const province = process.env.PEERS_PROVINCE ?? "440000";
if (mode === "rls" && !role) throw new Error("PEERS_MODE=rls needs PEERS_ROLE");

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.PEERS_DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.PEERS_POOL ?? 10) },
      // The reviewer's scope, read by the policies once per statement.
      pgSettings:
        mode === "rls" ? () => ({ role, "app.province": province }) : undefined,
    }),
  ],
  grafserv: {
    port: Number(process.env.PEERS_PORT ?? 5678),
    host: "127.0.0.1",
    graphiql: false,
  },
  grafast: { explain: false },
};

export default preset;
