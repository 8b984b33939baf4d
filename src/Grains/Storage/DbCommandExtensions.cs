using System.Data.Common;

namespace OrleansReleases.Grains.Storage;

public static class DbCommandExtensions
{
    /// <summary>Adds a named parameter (<c>@name</c> in the SQL); null becomes SQL NULL.</summary>
    /// <remarks>
    /// The name is given its <c>@</c>: Microsoft.Data.Sqlite otherwise tries <c>:</c>, <c>@</c> and
    /// <c>$</c> in turn, each a linear search of the statement's parameters, which made a 3,000-parameter
    /// statement of the gate index spend most of its time binding (see docs/benchmarks.md). Npgsql
    /// takes either spelling.
    /// </remarks>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name.StartsWith('@') ? name : "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
