using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// Reads the manufacturing records that register devices (<c>iotsec-gateway devices import FILE</c>).
/// Two formats, chosen by extension (.csv, .json) or, failing that, by the first character:
/// <list type="bullet">
/// <item>CSV: a header naming the columns <c>deviceId,deviceClass,birthCertificateSha256</c>
/// (any order), then one device per line; blank lines and lines starting with <c>#</c> are skipped.</item>
/// <item>JSON: an array of objects with exactly those three properties.</item>
/// </list>
/// Every error names the line. The whole file is validated before anything is written.
/// </summary>
public static class DeviceImportFile
{
    /// <summary>Largest file accepted (about 200,000 devices).</summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    /// <summary>The column / property names.</summary>
    public const string DeviceIdField = "deviceId";

    /// <inheritdoc cref="DeviceIdField"/>
    public const string DeviceClassField = "deviceClass";

    /// <inheritdoc cref="DeviceIdField"/>
    public const string BirthCertificateField = "birthCertificateSha256";

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="InventoryException">The file is missing, too large or malformed; duplicates within the file.</exception>
    public static IReadOnlyList<DeviceImportEntry> Read(string path)
    {
        var bytes = Load(path);
        return Parse(Path.GetFileName(path), bytes, IsJson(path, bytes));
    }

    /// <summary>Reads the file's bytes, refusing a missing or oversized file.</summary>
    internal static byte[] Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new InventoryException(InventoryErrorReason.InvalidImportFile, $"import file '{path}' does not exist");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new InventoryException(InventoryErrorReason.InvalidImportFile, string.Create(CultureInfo.InvariantCulture, $"import file '{path}' is larger than {MaxFileBytes} bytes"));
            }

            return File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new InventoryException(InventoryErrorReason.InvalidImportFile, $"cannot read import file '{path}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InventoryException(InventoryErrorReason.InvalidImportFile, $"cannot read import file '{path}': {e.Message}", e);
        }
    }

    /// <summary>Parses file contents; <paramref name="name"/> is used in error messages.</summary>
    public static IReadOnlyList<DeviceImportEntry> Parse(string name, ReadOnlySpan<byte> contents, bool json)
    {
        var entries = json ? ParseJson(name, contents) : ParseCsv(name, contents);
        RejectDuplicates(name, entries);
        return entries;
    }

    /// <summary>JSON by extension (.json), CSV by extension (.csv), else JSON when the first character is '['.</summary>
    internal static bool IsJson(string path, byte[] bytes)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'[';
        }

        return false;
    }

    private static List<DeviceImportEntry> ParseCsv(string name, ReadOnlySpan<byte> contents)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(contents);
        }
        catch (DecoderFallbackException e)
        {
            throw new InventoryException(InventoryErrorReason.InvalidImportFile, $"{name}: not valid UTF-8", e);
        }

        var entries = new List<DeviceImportEntry>();
        int[]? columns = null;
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(',');
            for (var f = 0; f < fields.Length; f++)
            {
                fields[f] = fields[f].Trim();
            }

            if (columns is null)
            {
                columns = ReadHeader(name, lineNumber, fields);
                continue;
            }

            if (fields.Length != 3)
            {
                throw new InventoryException(
                    InventoryErrorReason.InvalidImportFile,
                    name,
                    lineNumber,
                    string.Create(CultureInfo.InvariantCulture, $"expected 3 comma-separated fields, found {fields.Length}"));
            }

            entries.Add(MakeEntry(name, lineNumber, fields[columns[0]], fields[columns[1]], fields[columns[2]]));
        }

        if (columns is null)
        {
            throw new InventoryException(InventoryErrorReason.InvalidImportFile, $"{name}: empty file (expected the header '{DeviceIdField},{DeviceClassField},{BirthCertificateField}')");
        }

        return entries;
    }

    private static int[] ReadHeader(string name, int lineNumber, string[] fields)
    {
        var wanted = new[] { DeviceIdField, DeviceClassField, BirthCertificateField };
        var columns = new[] { -1, -1, -1 };
        if (fields.Length == 3)
        {
            for (var f = 0; f < fields.Length; f++)
            {
                var index = Array.FindIndex(wanted, w => w.Equals(fields[f], StringComparison.OrdinalIgnoreCase));
                if (index >= 0 && columns[index] < 0)
                {
                    columns[index] = f;
                }
            }
        }

        if (Array.IndexOf(columns, -1) >= 0)
        {
            throw new InventoryException(
                InventoryErrorReason.InvalidImportFile,
                name,
                lineNumber,
                $"expected the header '{DeviceIdField},{DeviceClassField},{BirthCertificateField}' (any order), found '{InventoryText.Printable(string.Join(',', fields))}'");
        }

        return columns;
    }

    private static List<DeviceImportEntry> ParseJson(string name, ReadOnlySpan<byte> contents)
    {
        if (contents.StartsWith("\uFEFF"u8))
        {
            contents = contents[3..];
        }

        var entries = new List<DeviceImportEntry>();
        var reader = new Utf8JsonReader(contents, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false, MaxDepth = 4 });
        try
        {
            Expect(name, contents, ref reader, JsonTokenType.StartArray, "an array of devices");
            while (true)
            {
                Read(name, contents, ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Error(name, contents, reader, "expected a device object");
                }

                var objectLine = LineOf(contents, reader.TokenStartIndex);
                string? deviceId = null, deviceClass = null, birth = null;
                while (true)
                {
                    Read(name, contents, ref reader);
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        break;
                    }

                    var property = reader.GetString();
                    var propertyLine = LineOf(contents, reader.TokenStartIndex);
                    Read(name, contents, ref reader);
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw Error(name, contents, reader, $"property '{InventoryText.Printable(property)}' must be a string");
                    }

                    var value = reader.GetString();
                    switch (property)
                    {
                        case DeviceIdField when deviceId is null:
                            deviceId = value;
                            break;
                        case DeviceClassField when deviceClass is null:
                            deviceClass = value;
                            break;
                        case BirthCertificateField when birth is null:
                            birth = value;
                            break;
                        default:
                            throw new InventoryException(InventoryErrorReason.InvalidImportFile, name, propertyLine, $"unexpected or repeated property '{InventoryText.Printable(property)}'");
                    }
                }

                if (deviceId is null || deviceClass is null || birth is null)
                {
                    throw new InventoryException(InventoryErrorReason.InvalidImportFile, name, objectLine, $"a device needs '{DeviceIdField}', '{DeviceClassField}' and '{BirthCertificateField}'");
                }

                entries.Add(MakeEntry(name, objectLine, deviceId, deviceClass, birth));
            }

            if (reader.Read())
            {
                throw Error(name, contents, reader, "unexpected content after the array");
            }
        }
        catch (JsonException e)
        {
            // Utf8JsonReader reports a 0-based line.
            var line = (int)(e.LineNumber ?? 0) + 1;
            throw new InventoryException(InventoryErrorReason.InvalidImportFile, name, line, "malformed JSON: " + e.Message, e);
        }

        return entries;
    }

    private static void Read(string name, ReadOnlySpan<byte> contents, ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InventoryException(InventoryErrorReason.InvalidImportFile, name, LineOf(contents, contents.Length), "unexpected end of file");
        }
    }

    private static void Expect(string name, ReadOnlySpan<byte> contents, ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        Read(name, contents, ref reader);
        if (reader.TokenType != type)
        {
            throw Error(name, contents, reader, "expected " + what);
        }
    }

    private static InventoryException Error(string name, ReadOnlySpan<byte> contents, Utf8JsonReader reader, string message) =>
        new(InventoryErrorReason.InvalidImportFile, name, LineOf(contents, reader.TokenStartIndex), message);

    private static int LineOf(ReadOnlySpan<byte> contents, long offset)
    {
        var end = (int)Math.Min(offset, contents.Length);
        return contents[..end].Count((byte)'\n') + 1;
    }

    private static DeviceImportEntry MakeEntry(string name, int lineNumber, string deviceId, string deviceClass, string birth)
    {
        if (!InventoryText.IsValidIdentifier(deviceId))
        {
            throw new InventoryException(InventoryErrorReason.InvalidDeviceId, name, lineNumber, $"invalid device id '{InventoryText.Printable(deviceId)}': expected 1 to 64 of A-Z a-z 0-9 . _ -");
        }

        if (!InventoryText.IsValidIdentifier(deviceClass))
        {
            throw new InventoryException(InventoryErrorReason.InvalidDeviceClass, name, lineNumber, $"invalid device class '{InventoryText.Printable(deviceClass)}': expected 1 to 64 of A-Z a-z 0-9 . _ -");
        }

        if (!InventoryText.TryNormalizeSha256(birth, out var fingerprint))
        {
            throw new InventoryException(InventoryErrorReason.InvalidFingerprint, name, lineNumber, $"invalid birth certificate SHA-256 '{InventoryText.Printable(birth)}': expected 64 hex digits (colons allowed)");
        }

        return new DeviceImportEntry(deviceId, deviceClass, fingerprint, lineNumber);
    }

    private static void RejectDuplicates(string name, List<DeviceImportEntry> entries)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var fingerprints = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!ids.TryAdd(entry.DeviceId, entry.LineNumber))
            {
                throw new InventoryException(InventoryErrorReason.AlreadyExists, name, entry.LineNumber, string.Create(CultureInfo.InvariantCulture, $"device '{entry.DeviceId}' appears again (first on line {ids[entry.DeviceId]})"));
            }

            if (!fingerprints.TryAdd(entry.BirthCertificateSha256, entry.LineNumber))
            {
                throw new InventoryException(InventoryErrorReason.AlreadyExists, name, entry.LineNumber, string.Create(CultureInfo.InvariantCulture, $"birth certificate {entry.BirthCertificateSha256} appears again (first on line {fingerprints[entry.BirthCertificateSha256]})"));
            }
        }
    }
}
