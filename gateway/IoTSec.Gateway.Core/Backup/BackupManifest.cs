using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IoTSec.Gateway.Core.Backup;

/// <summary>One file of a backup: its name, size and SHA-256 (hex), and for a database its schema version.</summary>
/// <param name="Name">The file's name in the tar (one of <see cref="BackupFormat.IsKnownFile"/>).</param>
/// <param name="Bytes">Its length.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its content.</param>
/// <param name="SchemaVersion">The database's schema version; null for the secret.</param>
public sealed record BackupFileEntry(string Name, long Bytes, string Sha256, int? SchemaVersion);

/// <summary>
/// The backup's table of contents (<c>manifest.json</c>): who made it, when, with what, and
/// the digest of every file. Parsed from a file that has already passed the signature check,
/// yet still parsed strictly: the key or value that is wrong is named.
/// </summary>
/// <param name="CreatedAt">When the snapshot was taken (UTC).</param>
/// <param name="Gateway">The source gateway's name.</param>
/// <param name="IntermediateSha256">SHA-256 of the source gateway's intermediate certificate (hex).</param>
/// <param name="KeyBackend">"tpm" or "software": the source's key store.</param>
/// <param name="Producer">The program and version that wrote it.</param>
/// <param name="Files">Every file but the manifest.</param>
public sealed record BackupManifest(DateTimeOffset CreatedAt, string Gateway, string IntermediateSha256, string KeyBackend, string Producer, IReadOnlyList<BackupFileEntry> Files)
{
    private const int MaxManifestBytes = 64 * 1024;
    private const int MaxTextLength = 256;

    /// <summary>The manifest as UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        var files = new JsonArray();
        foreach (var file in Files)
        {
            var entry = new JsonObject { ["name"] = file.Name, ["bytes"] = file.Bytes, ["sha256"] = file.Sha256 };
            if (file.SchemaVersion is { } version)
            {
                entry["schemaVersion"] = version;
            }

            files.Add(entry);
        }

        var root = new JsonObject
        {
            ["format"] = BackupFormat.FormatName,
            ["version"] = BackupFormat.Version,
            ["createdAt"] = CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["gateway"] = Gateway,
            ["intermediateSha256"] = IntermediateSha256,
            ["keyBackend"] = KeyBackend,
            ["producer"] = Producer,
            ["files"] = files,
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Parses a manifest.</summary>
    /// <exception cref="BackupRejectedException">With <see cref="BackupRejection.ManifestInvalid"/>, naming the bad key.</exception>
    public static BackupManifest Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxManifestBytes)
        {
            throw Invalid($"it has {json.Length} bytes, more than {MaxManifestBytes}");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 8 }) as JsonObject
                ?? throw Invalid("it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Invalid("it is not valid JSON: " + e.Message);
        }

        var format = Text(root, "format");
        if (format != BackupFormat.FormatName)
        {
            throw Invalid($"'format' is '{format}', not '{BackupFormat.FormatName}'");
        }

        var version = Integer(root, "version");
        if (version != BackupFormat.Version)
        {
            throw Invalid($"'version' is {version}; this gateway reads version {BackupFormat.Version} (a newer gateway wrote it?)");
        }

        if (!DateTimeOffset.TryParse(Text(root, "createdAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var createdAt))
        {
            throw Invalid("'createdAt' is not an ISO 8601 time");
        }

        var intermediate = Text(root, "intermediateSha256");
        if (!IsSha256Hex(intermediate))
        {
            throw Invalid("'intermediateSha256' is not 64 lower-case hex digits");
        }

        if (root["files"] is not JsonArray array)
        {
            throw Invalid("'files' is missing or not an array");
        }

        var files = new List<BackupFileEntry>();
        for (var i = 0; i < array.Count; i++)
        {
            files.Add(ParseFile(array[i] as JsonObject ?? throw Invalid($"'files[{i}]' is not an object"), i));
        }

        var duplicate = files.GroupBy(file => file.Name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw Invalid($"'files' names '{duplicate.Key}' twice");
        }

        foreach (var (name, required) in BackupFormat.Databases)
        {
            if (required && files.All(file => file.Name != name))
            {
                throw Invalid($"'files' lacks '{name}'");
            }
        }

        if (files.All(file => file.Name != BackupFormat.HeartbeatSecretName))
        {
            throw Invalid($"'files' lacks '{BackupFormat.HeartbeatSecretName}'");
        }

        return new BackupManifest(createdAt, Text(root, "gateway"), intermediate, Text(root, "keyBackend"), Text(root, "producer"), files);
    }

    private static BackupFileEntry ParseFile(JsonObject file, int index)
    {
        var prefix = $"files[{index}].";
        var name = Text(file, "name", prefix);
        if (!BackupFormat.IsKnownFile(name))
        {
            throw Invalid($"'{prefix}name' is '{name}', which a backup never holds");
        }

        var bytes = Integer(file, "bytes", prefix);
        if (bytes < 0 || bytes > BackupFormat.MaxFileBytes)
        {
            throw Invalid($"'{prefix}bytes' is {bytes}, outside 0..{BackupFormat.MaxFileBytes}");
        }

        var sha256 = Text(file, "sha256", prefix);
        if (!IsSha256Hex(sha256))
        {
            throw Invalid($"'{prefix}sha256' is not 64 lower-case hex digits");
        }

        int? schema = null;
        if (file["schemaVersion"] is not null)
        {
            var version = Integer(file, "schemaVersion", prefix);
            schema = version is >= 0 and <= int.MaxValue ? (int)version : throw Invalid($"'{prefix}schemaVersion' is out of range");
        }

        return new BackupFileEntry(name, bytes, sha256, schema);
    }

    private static string Text(JsonObject node, string key, string prefix = "")
    {
        if (node[key] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0)
        {
            throw Invalid($"'{prefix}{key}' is missing or not a non-empty string");
        }

        return text.Length > MaxTextLength ? throw Invalid($"'{prefix}{key}' is longer than {MaxTextLength} characters") : text;
    }

    private static long Integer(JsonObject node, string key, string prefix = "")
    {
        if (node[key] is not JsonValue value || !value.TryGetValue<long>(out var number))
        {
            throw Invalid($"'{prefix}{key}' is missing or not an integer");
        }

        return number;
    }

    private static bool IsSha256Hex(string text) =>
        text.Length == 64 && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static BackupRejectedException Invalid(string detail) =>
        new(BackupRejection.ManifestInvalid, "the backup manifest is invalid: " + detail);
}
