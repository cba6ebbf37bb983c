// The generated project built; check that its TCK subclasses really ran (a build that runs no
// test would pass too) and that it packaged a plugin with its SPI version.
import java.util.jar.JarFile

def project = new File(basedir, 'example-plugin')
def reports = new File(project, 'target/surefire-reports')
def expected = ['ExamplePartitionerTest': 10, 'ExampleResolverTest': 15, 'ExampleStorageEngineTest': 30, 'ExamplePluginTest': 4]
expected.each { name, minimum ->
    def report = reports.listFiles().find { it.name ==~ /TEST-.*\.${name}\.xml/ }
    assert report != null : "no surefire report for ${name} in ${reports}"
    def suite = new groovy.xml.XmlSlurper().parse(report)
    int tests = suite.@tests.toInteger()
    int failing = suite.@failures.toInteger() + suite.@errors.toInteger()
    assert tests >= minimum : "${name} ran ${tests} tests, expected at least ${minimum}"
    assert failing == 0 : "${name}: ${failing} failing"
}
def jar = new File(project, 'target/example-plugin-1.0.0-SNAPSHOT.jar')
assert jar.isFile() : "no plugin jar ${jar}"
def manifest = new JarFile(jar).manifest.mainAttributes
assert manifest.getValue('Dynamo-Spi-Version') ==~ /\d+/ : "no Dynamo-Spi-Version in ${jar}'s manifest"
def folder = new File(project, 'target/example-plugin-plugin/example-plugin')
assert new File(folder, 'example-plugin-1.0.0-SNAPSHOT.jar').isFile() : "no plugin folder ${folder} for plugins/"
return true
