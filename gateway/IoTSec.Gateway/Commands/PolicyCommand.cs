using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using IoTSec.Gateway.Core.Policy;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway policy check FILE</c>: validates a protocol allowlist before it is put in
/// place (the running daemon would refuse it the same way and keep its old policy).
/// </summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var command = new Command("policy", "Protocol allowlist: check a policy file.");
        command.Subcommands.Add(CreateCheck());
        return command;
    }

    private static Command CreateCheck()
    {
        var file = new Argument<string>("FILE") { Description = "The policy file (YAML, docs/policy.md)" };
        var command = new Command("check", "Validate a policy file: print its classes and rules, or every error with line:column; exit 1 on errors.") { file };
        command.SetAction(parse => AdministrationVerb.Run(parse, () =>
        {
            var path = parse.GetValue(file)!;
            PolicyDocument policy;
            try
            {
                policy = PolicyFile.Load(path);
            }
            catch (PolicyRejectedException e)
            {
                var error = parse.InvocationConfiguration.Error;
                foreach (var problem in e.Errors)
                {
                    error.WriteLine($"{path}:{problem}");
                }

                return AdministrationVerb.Fail(parse, string.Create(CultureInfo.InvariantCulture, $"{path}: {e.Errors.Count} error(s); the policy is refused"));
            }

            Print(AdministrationVerb.Output(parse), path, policy);
            return 0;
        }));
        return command;
    }

    private static void Print(TextWriter output, string path, PolicyDocument policy)
    {
        var quarantine = policy.Quarantine;
        output.WriteLine($"{path}: valid, sha256 {policy.Sha256}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"quarantine: class '{quarantine.ClassName}' after {quarantine.Threshold} violations within {Duration(quarantine.Window)}"));
        var names = new System.Collections.Generic.List<string>(policy.Classes.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var rules = policy.Classes[name];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"class {name}: {rules.PublishRules.Count} publish rule(s), {rules.SubscribeRules.Count} subscribe rule(s), {rules.FirmwareCount} firmware digest(s), heartbeat every {Duration(rules.HeartbeatInterval)}"));
            foreach (var rule in rules.PublishRules)
            {
                var schema = rule.SchemaFile is null ? string.Empty : " schema " + rule.SchemaFile;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  publish   {rule.Topic}  {rule.PayloadName}{schema}, max {rule.MaxSize} B, qos {Qos(rule.QosMask)}, retain {(rule.Retain ? "yes" : "no")}, rate {rule.Rate.Text} burst {rule.Rate.Burst}"));
            }

            foreach (var rule in rules.SubscribeRules)
            {
                output.WriteLine($"  subscribe {rule.Topic}  qos {Qos(rule.QosMask)}");
            }
        }
    }

    private static string Duration(TimeSpan duration) => duration.TotalSeconds % 3600 == 0
        ? ((long)duration.TotalHours).ToString(CultureInfo.InvariantCulture) + "h"
        : duration.TotalSeconds % 60 == 0 ? ((long)duration.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "min"
        : ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    private static string Qos(int mask)
    {
        var parts = new System.Collections.Generic.List<string>(3);
        for (var qos = 0; qos <= 2; qos++)
        {
            if ((mask & (1 << qos)) != 0)
            {
                parts.Add(qos.ToString(CultureInfo.InvariantCulture));
            }
        }

        return string.Join(",", parts);
    }
}
