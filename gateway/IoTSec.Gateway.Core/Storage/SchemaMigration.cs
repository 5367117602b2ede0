namespace IoTSec.Gateway.Core.Storage;

/// <summary>One forward-only step of a database schema: applied once, in version order, never edited after release.</summary>
/// <param name="Version">1, 2, 3, … without gaps.</param>
/// <param name="Description">What the step does, kept in the schema_version table.</param>
/// <param name="Sql">The statements of the step, run in one transaction.</param>
public sealed record SchemaMigration(int Version, string Description, string Sql);
