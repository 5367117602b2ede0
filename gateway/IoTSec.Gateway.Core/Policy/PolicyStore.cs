using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using IoTSec.Gateway.Core.Audit;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// The policy in force and where it comes from. <see cref="Reload"/> reads the file again and
/// swaps the new policy in atomically when it is valid; when it is not, the policy in force
/// stays, and the result carries every error. Each policy that comes into force is audited
/// (<see cref="AuditEventKind.PolicyChange"/> with the file's SHA-256).
/// </summary>
public sealed class PolicyStore
{
    /// <summary>The actor of the store's audit entries.</summary>
    public const string Actor = "policy";

    private readonly AuditLog? _audit;
    private readonly Lock _reloading = new();
    private PolicyDocument _current;
    private long _failures;

    private PolicyStore(string path, PolicyDocument initial, AuditLog? audit)
    {
        FilePath = path;
        _current = initial;
        _audit = audit;
    }

    /// <summary>The policy file.</summary>
    public string FilePath { get; }

    /// <summary>The policy in force (one volatile read: the publish path calls this every message).</summary>
    public PolicyDocument Current => Volatile.Read(ref _current);

    /// <summary>Reloads refused since start.</summary>
    public long ReloadFailures => Interlocked.Read(ref _failures);

    /// <summary>Raised after a new policy came into force.</summary>
    public event Action<PolicyDocument>? Changed;

    /// <summary>Loads <paramref name="path"/> as the first policy; audits it into <paramref name="audit"/> when given.</summary>
    /// <exception cref="PolicyRejectedException">The file is missing or invalid: the gateway must not start without a policy (default deny would refuse every device anyway).</exception>
    public static PolicyStore Open(string path, AuditLog? audit)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var store = new PolicyStore(full, PolicyFile.Load(full), audit);
        store.AuditChange(store._current, previous: null, "loaded");
        return store;
    }

    /// <summary>Reads the file again and puts it in force when it is valid and different.</summary>
    public PolicyReloadResult Reload()
    {
        // One reload at a time: a file-change burst and a SIGHUP must not interleave their audits.
        lock (_reloading)
        {
            var previous = Current;
            PolicyDocument next;
            try
            {
                next = PolicyFile.Load(FilePath);
            }
            catch (PolicyRejectedException e)
            {
                Interlocked.Increment(ref _failures);
                PolicyMetrics.ReloadFailures.Add(1);
                return new PolicyReloadResult(PolicyReloadOutcome.Rejected, previous, e.Errors);
            }

            if (string.Equals(next.Sha256, previous.Sha256, StringComparison.Ordinal))
            {
                return new PolicyReloadResult(PolicyReloadOutcome.Unchanged, previous, []);
            }

            Volatile.Write(ref _current, next);
            PolicyMetrics.Reloads.Add(1);
            AuditChange(next, previous, "reloaded");
            Changed?.Invoke(next);
            return new PolicyReloadResult(PolicyReloadOutcome.Applied, next, []);
        }
    }

    private void AuditChange(PolicyDocument document, PolicyDocument? previous, string what)
    {
        if (_audit is null)
        {
            return;
        }

        var classes = new JsonArray();
        foreach (var name in Sorted(document.Classes.Keys))
        {
            classes.Add(name);
        }

        _audit.Append(AuditEventKind.PolicyChange, Actor, "protocol-allowlist", new JsonObject
        {
            ["event"] = what,
            ["file"] = document.Source,
            ["sha256"] = document.Sha256,
            ["previousSha256"] = previous?.Sha256,
            ["classes"] = classes,
            ["quarantineClass"] = document.Quarantine.ClassName,
        });
    }

    private static List<string> Sorted(IEnumerable<string> names)
    {
        var list = new List<string>(names);
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
