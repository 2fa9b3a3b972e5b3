import MemorialContent
import MemorialCore
import MemorialTemplates

extension PageRenderer {
    /// `/<lang>/search/`: the form, the result list the script fills, and the index's
    /// configuration inline, so a query loads only the script and the shards it needs.
    func renderSearch(_ language: String, _ inputs: PageInputs2<SearchData, String>, job: PageJob) -> [UInt8] {
        let (data, script) = inputs.parts
        let heading = string("searchTitle", language)
        var context = baseContext(
            language, job: job, title: heading, description: string("searchDescription", language))
        context["search"] = [
            "href": .string(urls.href(SiteURLs.search(language))),
            "config": .string(data.config ?? "{}"),
            "script": .string(script),
            "namesHref": .string(urls.href(SiteURLs.names(language))),
        ]
        context["breadcrumbs"] = [homeCrumb(language)]
        return templates.render(context, template: "search")
    }
}
