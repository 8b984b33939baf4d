using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Tests.Domain;

public sealed class BranchNameTests
{
    [Theory]
    [InlineData("uat")]
    [InlineData("master")]
    [InlineData("release/2026.11")]
    [InlineData("feature/x-y")]
    public void A_usual_branch_name_has_no_problem(string name)
    {
        Assert.Null(BranchName.Problem(name));
    }

    [Fact]
    public void A_name_of_exactly_the_maximum_length_has_no_problem()
    {
        Assert.Null(BranchName.Problem(new string('a', BranchName.MaxLength)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void An_empty_or_blank_name_is_refused(string? name)
    {
        Assert.NotNull(BranchName.Problem(name));
    }

    [Theory]
    [InlineData("--output=x")]
    [InlineData("-x")]
    public void A_name_that_git_could_read_as_an_option_is_refused(string name)
    {
        Assert.NotNull(BranchName.Problem(name));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a~1")]
    [InlineData("a^")]
    [InlineData("a:b")]
    [InlineData("a?")]
    [InlineData("a*")]
    [InlineData("a[")]
    [InlineData("a\\b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData("a/.b")]
    [InlineData("a.lock")]
    [InlineData("a.lock/b")]
    [InlineData("a@{1}")]
    [InlineData("a//b")]
    [InlineData("@")]
    [InlineData("HEAD")]
    [InlineData("a\u0001b")]
    [InlineData("a\nb")]
    [InlineData("a\u007fb")]
    public void A_name_that_git_refuses_as_a_branch_is_refused(string name)
    {
        Assert.NotNull(BranchName.Problem(name));
    }

    [Theory]
    [InlineData("uat\u0085")]
    [InlineData("\u00A0uat")]
    [InlineData("uat\u00A0")]
    [InlineData("\u200Buat")]
    [InlineData("uat\u200B")]
    [InlineData("\uFEFFuat")]
    [InlineData("uat\u2028")]
    [InlineData("uat\u2029")]
    [InlineData("\u3000uat")]
    [InlineData("uat\u202E")]
    [InlineData("uat\u2060")]
    [InlineData("\tuat")]
    [InlineData("uat\r")]
    [InlineData(" uat")]
    [InlineData("uat ")]
    [InlineData("re\u00A0lease")]
    [InlineData("re\u200Blease")]
    public void A_name_with_unicode_whitespace_or_invisible_characters_anywhere_is_refused_not_trimmed(string name)
    {
        var problem = BranchName.Problem(name);

        Assert.NotNull(problem);
        Assert.Contains("U+", problem);
    }

    [Theory]
    [InlineData("release/été")]
    [InlineData("feature/日本語")]
    [InlineData("fix/🚀")]
    public void A_name_with_visible_non_ascii_letters_has_no_problem(string name)
    {
        Assert.Null(BranchName.Problem(name));
    }

    [Fact]
    public void A_name_one_character_over_the_maximum_length_is_refused()
    {
        var name = new string('a', BranchName.MaxLength + 1);

        Assert.Equal(201, name.Length);
        Assert.NotNull(BranchName.Problem(name));
    }

    [Theory]
    [InlineData("uat", "master")]
    [InlineData("release/2026.11", "main")]
    public void A_new_release_between_two_valid_different_branches_has_no_problem(string source, string dest)
    {
        Assert.Null(new NewRelease(source, dest).Problem());
    }

    [Fact]
    public void A_new_release_from_a_branch_to_itself_has_a_problem()
    {
        Assert.Contains("differ", new NewRelease("uat", "uat").Problem());
    }

    [Theory]
    [InlineData("", "master", "sourceBranch")]
    [InlineData("uat", "", "destBranch")]
    [InlineData("", "", "sourceBranch")]
    [InlineData("-x", "master", "sourceBranch")]
    [InlineData("uat", "a..b", "destBranch")]
    public void A_new_release_with_an_empty_or_invalid_branch_names_that_branch_in_its_problem(
        string source, string dest, string namedField)
    {
        Assert.StartsWith(namedField, new NewRelease(source, dest).Problem());
    }

    [Fact]
    public void A_new_release_with_notes_over_the_maximum_length_has_a_problem()
    {
        var spec = new NewRelease("uat", "master", new string('n', Release.MaxTextLength + 1));

        Assert.Contains("notes", spec.Problem());
    }
}
