using System;
using System.Text.Json.Nodes;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// Keeps secrets out of the audit log: the log is exported and read by people, so a details
/// property whose name suggests key material is refused at the call site, in tests, rather
/// than discovered in an export.
/// </summary>
internal static class AuditDetailsPolicy
{
    /// <summary>Longest details JSON accepted.</summary>
    public const int MaxDetailsLength = 64 * 1024;

    /// <summary>Longest actor or subject.</summary>
    public const int MaxNameLength = 256;

    // Compared with '_' and '-' removed, lowercase: parts anywhere in a name, whole names exactly.
    private static readonly string[] ForbiddenNameParts = ["secret", "password", "passphrase", "privatekey", "token"];
    private static readonly string[] ForbiddenNames = ["key", "pin", "psk"];

    public static string Serialize(JsonObject? details)
    {
        if (details is null)
        {
            return "{}";
        }

        Check(details, "details");
        var json = details.ToJsonString();
        if (json.Length > MaxDetailsLength)
        {
            throw new ArgumentException($"audit details are longer than {MaxDetailsLength} characters", nameof(details));
        }

        return json;
    }

    public static string RequireName(string? value, string parameter)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength)
        {
            throw new ArgumentException($"an audit {parameter} must be 1 to {MaxNameLength} characters", parameter);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"an audit {parameter} must not contain control characters", parameter);
            }
        }

        return value;
    }

    private static bool LooksSecret(string name)
    {
        var folded = name.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        foreach (var part in ForbiddenNameParts)
        {
            if (folded.Contains(part, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return Array.IndexOf(ForbiddenNames, folded) >= 0;
    }

    private static void Check(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (LooksSecret(name))
                    {
                        throw new ArgumentException($"audit details must not carry secrets: property '{path}.{name}' is refused", nameof(node));
                    }

                    Check(value, path + "." + name);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Check(array[i], path + "[]");
                }

                break;
        }
    }
}
