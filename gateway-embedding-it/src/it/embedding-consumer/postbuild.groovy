// The README's example printed the model's answer and a positive token count.
def log = new File(basedir, 'build.log').getText('UTF-8')
def line = log =~ /(?m)^(?:\[INFO\] )?(.*\S) cost-bearing tokens: ([1-9]\d*)\s*$/
assert line.find(): "the README's example did not print an answer with a positive token count:\n${log}"
println "embedding-consumer printed: ${line.group(0).trim()}"
return true
