using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using IoTSec.Gateway.Core.Segmentation;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// A loaded, validated policy file: the classes, the quarantine rules, and the SHA-256 of the
/// file's bytes (recorded in the audit log when it comes into force). Immutable: a reload makes
/// a new one and swaps it in whole.
/// </summary>
public sealed class PolicyDocument
{
    private readonly FrozenDictionary<string, DeviceClassPolicy> _classes;

    internal PolicyDocument(string source, string sha256, IEnumerable<DeviceClassPolicy> classes, QuarantineRules quarantine, SegmentationPolicy? segmentation)
    {
        Segmentation = segmentation;
        Source = source;
        Sha256 = sha256;
        var map = new Dictionary<string, DeviceClassPolicy>(StringComparer.Ordinal);
        foreach (var policy in classes)
        {
            map.Add(policy.Name, policy);
        }

        _classes = map.ToFrozenDictionary(StringComparer.Ordinal);
        Quarantine = quarantine;
        QuarantineClass = _classes[quarantine.ClassName];
    }

    /// <summary>Where the policy came from (a file path).</summary>
    public string Source { get; }

    /// <summary>SHA-256 of the file's bytes, lowercase hex.</summary>
    public string Sha256 { get; }

    /// <summary>The classes by name.</summary>
    public IReadOnlyDictionary<string, DeviceClassPolicy> Classes => _classes;

    /// <summary>The quarantine rules.</summary>
    public QuarantineRules Quarantine { get; }

    /// <summary>The network zones (the <c>segmentation</c> section), or null when the file has none: then no firewall is rendered.</summary>
    public SegmentationPolicy? Segmentation { get; }

    /// <summary>The class that judges quarantined devices.</summary>
    public DeviceClassPolicy QuarantineClass { get; }

    /// <summary>The class named <paramref name="name"/>, or null (default deny).</summary>
    public DeviceClassPolicy? Find(string name) => _classes.GetValueOrDefault(name);
}
