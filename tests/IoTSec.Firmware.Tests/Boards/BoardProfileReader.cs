using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Json.Schema;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>
/// Reads a board profile: the JSON is checked against hardware/boards/board-profile.schema.json
/// (no unknown keys, every required key, types and patterns) before it is bound, so a mistake
/// is reported with the key that holds it rather than as a null later.
/// </summary>
public static class BoardProfileReader
{
    private const int MaxProfileBytes = 256 * 1024;

    private static readonly JsonSerializerOptions Binding = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The profile schema, compiled once.</summary>
    public static JsonSchema Schema { get; } = JsonSchema.FromText(
        File.ReadAllText(Path.Combine(BoardProfiles.Directory, "board-profile.schema.json")),
        new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>Reads and checks one profile file.</summary>
    /// <exception cref="BoardProfileException">Not JSON, against the schema, or not bindable.</exception>
    public static BoardProfile Read(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxProfileBytes)
        {
            throw new BoardProfileException(info.Name, "", $"larger than {MaxProfileBytes} bytes");
        }

        return Parse(info.Name, File.ReadAllText(path));
    }

    /// <summary>Checks and binds profile text (<paramref name="file"/> names it in errors).</summary>
    /// <exception cref="BoardProfileException">Not JSON, against the schema, or not bindable.</exception>
    public static BoardProfile Parse(string file, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new BoardProfileException(file, "line " + (e.LineNumber + 1), "not JSON: " + e.Message);
        }

        using (document)
        {
            var result = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var failure = (result.Details ?? [])
                    .Where(d => d.Errors is { Count: > 0 })
                    .OrderByDescending(d => d.InstanceLocation.ToString().Length)
                    .FirstOrDefault();
                string key = failure?.InstanceLocation.ToString() ?? "";
                string why = failure?.Errors is { } errors ? string.Join("; ", errors.Values) : "does not match the schema";
                throw new BoardProfileException(file, key.Length == 0 ? "/" : key, why);
            }

            try
            {
                return document.RootElement.Deserialize<BoardProfile>(Binding)
                    ?? throw new BoardProfileException(file, "/", "empty profile");
            }
            catch (JsonException e)
            {
                throw new BoardProfileException(file, e.Path ?? "/", e.Message);
            }
        }
    }
}
