// Builds the consumer from README.md itself: the XML block after the
// "<!-- embedding-consumer: pom.xml" marker replaces <!-- README-XML --> in pom.xml, and the Java
// block after "<!-- embedding-consumer: EmbeddingExample.java" becomes the example's source.
// Also checks that the BOM names every module of the reactor, so a new module cannot be forgotten.

String fenced(String text, String marker, String lang) {
  int at = text.indexOf(marker)
  assert at >= 0: "README.md has no '${marker}' marker before its ${lang} block"
  int open = text.indexOf("```${lang}\n", at)
  assert open >= 0: "README.md has no ```${lang} block after '${marker}'"
  int from = open + "```${lang}\n".length()
  return text.substring(from, text.indexOf("```", from))
}

def readmeText = new File(readme).getText('UTF-8')
def xml = fenced(readmeText, '<!-- embedding-consumer: pom.xml', 'xml')
def java = fenced(readmeText, '<!-- embedding-consumer: EmbeddingExample.java', 'java')

assert xml.contains("<version>${projectVersion}</version>"):
    "the README's BOM import must name the project version ${projectVersion}"

def pom = new File(basedir, 'pom.xml')
assert pom.text.contains('<!-- README-XML -->')
pom.setText(pom.getText('UTF-8').replace('<!-- README-XML -->', xml), 'UTF-8')

def source = new File(basedir, 'src/main/java/EmbeddingExample.java')
source.parentFile.mkdirs()
source.setText(java, 'UTF-8')

// The JDK's DOM parser: no dependency on Groovy's XML module.
Set<String> texts(String file, String path) {
  def doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File(file))
  def nodes = javax.xml.xpath.XPathFactory.newInstance().newXPath()
      .evaluate(path, doc, javax.xml.xpath.XPathConstants.NODESET)
  return (0..<nodes.length).collect { nodes.item(it).textContent.trim() } as Set
}
def modules = texts(rootPom, "/*[local-name()='project']/*[local-name()='modules']/*[local-name()='module']")
modules -= ['gateway-bom', 'gateway-embedding-it']
def managed = texts(bomPom, "//*[local-name()='dependencyManagement']//*[local-name()='artifactId']")
assert managed == modules: "gateway-bom must list every published module: ${modules}, it lists ${managed}"
return true
